using System.Text;

namespace Streaming.Cli.Athena;

/// <summary>
/// Writes HCL the way <c>terraform fmt</c> lays it out (two-space indents, the <c>=</c> of neighbouring attributes
/// aligned), with strings escaped so that Terraform takes them literally: <c>${</c> and <c>%{</c> would otherwise start
/// a template, and the projection's location template is full of <c>${year}</c>.
/// </summary>
internal sealed class HclText
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public override string ToString() => _text.ToString();

    public HclText Comment(string line)
    {
        Pad().Append("# ").Append(line).Append('\n');
        return this;
    }

    public HclText BlankLine()
    {
        _text.Append('\n');
        return this;
    }

    public HclText Open(string header)
    {
        Pad().Append(header).Append(" {\n");
        _depth++;
        return this;
    }

    public HclText Close()
    {
        _depth--;
        Pad().Append("}\n");
        return this;
    }

    /// <summary>Attributes whose values are already HCL expressions; their <c>=</c> signs line up.</summary>
    public HclText Attributes(params (string Name, string Expression)[] attributes)
    {
        var width = attributes.Max(a => a.Name.Length);
        foreach (var (name, expression) in attributes)
        {
            Pad().Append(name.PadRight(width)).Append(" = ").Append(expression).Append('\n');
        }

        return this;
    }

    /// <summary>A map attribute of strings, keys quoted (they hold dots), <c>=</c> signs aligned.</summary>
    public HclText Map(string name, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        Pad().Append(name).Append(" = {\n");
        _depth++;
        var keys = entries.Select(e => String(e.Key)).ToList();
        var width = keys.Max(k => k.Length);
        for (var i = 0; i < entries.Count; i++)
        {
            Pad().Append(keys[i].PadRight(width)).Append(" = ").Append(String(entries[i].Value)).Append('\n');
        }

        _depth--;
        Pad().Append("}\n");
        return this;
    }

    /// <summary>
    /// An attribute holding multi-line text as an indented heredoc; Terraform strips the common indentation, so the
    /// value is <paramref name="text"/> exactly.
    /// </summary>
    public HclText Heredoc(string name, int alignTo, string text, string marker = "EOT")
    {
        Pad().Append(name.PadRight(alignTo)).Append(" = <<-").Append(marker).Append('\n');
        _depth++;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.Length > 0)
            {
                Pad().Append(EscapeTemplates(line));
            }

            _text.Append('\n');
        }

        _depth--;
        Pad().Append(marker).Append('\n');
        return this;
    }

    /// <summary>A quoted HCL string that Terraform reads back as <paramref name="value"/>.</summary>
    public static string String(string value)
    {
        var escaped = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return EscapeTemplates(escaped.Append('"').ToString());
    }

    private static string EscapeTemplates(string text) =>
        text.Replace("${", "$${", StringComparison.Ordinal).Replace("%{", "%%{", StringComparison.Ordinal);

    private StringBuilder Pad() => _text.Append(' ', _depth * 2);
}

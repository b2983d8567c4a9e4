namespace Streaming.Core.Events;

/// <summary>
/// Small integer ids for column names, so that per-event bookkeeping (collisions, duplicates, schema lookups)
/// indexes arrays instead of hashing strings.
/// </summary>
public sealed class ColumnNameIds
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public ColumnNameIds()
    {
        Date = Intern(ColumnNames.Date);
        DateRaw = Intern(ColumnNames.DateRaw);
        Rescued = Intern(ColumnNames.Rescued);
    }

    public int Date { get; }

    public int DateRaw { get; }

    public int Rescued { get; }

    public int Count => _names.Count;

    public int Intern(string name)
    {
        if (!_ids.TryGetValue(name, out var id))
        {
            id = _names.Count;
            _names.Add(name);
            _ids[name] = id;
        }

        return id;
    }

    public string this[int id] => _names[id];
}

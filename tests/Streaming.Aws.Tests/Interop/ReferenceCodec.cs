using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// One codec.js process answering aggregate and deaggregate requests line by line, so that a property test can ask
/// the reference hundreds of times without starting Node each time. Requests are serialized: the pipe carries one
/// conversation.
/// </summary>
internal sealed class ReferenceCodec : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly Lock _gate = new();

    private ReferenceCodec(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public static async Task<ReferenceCodec> StartAsync()
    {
        await KplReference.EnsureInstalledAsync();
        var info = KplReference.Node("codec.js", []);
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;

        // No byte order mark: Node would take it as part of the first request.
        info.StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        info.StandardOutputEncoding = Encoding.UTF8;
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        return new ReferenceCodec(process);
    }

    /// <summary>The aggregated records the reference makes of <paramref name="records"/> (a new one at each 1 MiB).</summary>
    public IReadOnlyList<ReferenceAggregate> Aggregate(IEnumerable<UserRecordInput> records)
    {
        var answer = Ask(new { op = "aggregate", records });
        Assert.True(answer.Ok, $"reference aggregator: {answer.Error}");
        return answer.Aggregates!;
    }

    /// <summary>What the reference deaggregator (checksums verified) makes of one Kinesis record's data.</summary>
    public CodecAnswer Deaggregate(ReadOnlyMemory<byte> data) =>
        Ask(new { op = "deaggregate", data = Convert.ToBase64String(data.Span) });

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private CodecAnswer Ask(object request)
    {
        lock (_gate)
        {
            _process.StandardInput.WriteLine(JsonSerializer.Serialize(request, InteropJson.Options));
            _process.StandardInput.Flush();
            var line = _process.StandardOutput.ReadLine();
            if (line is null)
            {
                string errors;
                lock (_errors)
                {
                    errors = _errors.ToString();
                }

                throw new InvalidOperationException($"codec.js ended without answering:{Environment.NewLine}{errors}");
            }

            return JsonSerializer.Deserialize<CodecAnswer>(line, InteropJson.Options)!;
        }
    }
}

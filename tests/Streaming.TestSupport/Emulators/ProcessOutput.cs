namespace Streaming.TestSupport.Emulators;

/// <summary>Keeps the last lines a child process wrote (both streams) and copies every line to a log file.</summary>
internal sealed class ProcessOutput : IDisposable
{
    private const int MaxLines = 400;

    private readonly Queue<string> _lines = new();
    private readonly StreamWriter _file;
    private readonly Lock _gate = new();

    public ProcessOutput(string logPath)
    {
        LogPath = logPath;
        _file = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string LogPath { get; }

    public void Add(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        var stamped = $"{DateTime.UtcNow:HH:mm:ss.fff} {stream} {line}";
        lock (_gate)
        {
            _lines.Enqueue(stamped);
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }

            _file.WriteLine(stamped);
        }
    }

    public string Recent()
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }

    public bool Contains(string text)
    {
        lock (_gate)
        {
            return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }
}

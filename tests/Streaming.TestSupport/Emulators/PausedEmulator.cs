namespace Streaming.TestSupport.Emulators;

/// <summary>An emulator frozen by <see cref="LocalAwsStack.Pause"/>; <see cref="Resume"/> or disposing thaws it (once).</summary>
public sealed class PausedEmulator : IDisposable
{
    private Action? _resume;

    internal PausedEmulator(Action resume)
    {
        _resume = resume;
    }

    public bool IsPaused => Volatile.Read(ref _resume) is not null;

    public void Resume() => Interlocked.Exchange(ref _resume, null)?.Invoke();

    public void Dispose() => Resume();
}

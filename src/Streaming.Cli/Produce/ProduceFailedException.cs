namespace Streaming.Cli.Produce;

/// <summary>Some records could not be delivered; the run stopped. <see cref="Summary"/> says what did get through.</summary>
internal sealed class ProduceFailedException : Exception
{
    public ProduceFailedException(string message, ProduceSummary summary, Exception? innerException = null)
        : base(message, innerException)
    {
        Summary = summary;
    }

    public ProduceSummary Summary { get; }
}

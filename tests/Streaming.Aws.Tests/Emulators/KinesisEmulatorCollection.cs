namespace Streaming.Aws.Tests.Emulators;

/// <summary>Tests in this collection share one emulator and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class KinesisEmulatorCollection : ICollectionFixture<KinesisEmulatorFixture>
{
    public const string Name = "kinesis-local";
}

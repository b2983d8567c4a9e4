namespace Streaming.Aws.Tests.Leases;

/// <summary>Lease store tests share one dynalite and run one after another; each uses its own table.</summary>
[CollectionDefinition(Name)]
public sealed class DynamoDbEmulatorCollection : ICollectionFixture<DynamoDbEmulatorFixture>
{
    public const string Name = "dynalite";
}

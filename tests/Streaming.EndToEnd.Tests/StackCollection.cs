namespace Streaming.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "local AWS stack";
}

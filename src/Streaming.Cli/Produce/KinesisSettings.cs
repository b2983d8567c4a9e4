using Microsoft.Extensions.Configuration;
using Streaming.Aws.Kinesis;

namespace Streaming.Cli.Produce;

/// <summary>
/// Binds <see cref="KinesisClientOptions"/> the way every command that talks to Kinesis should: the section
/// <c>Streaming:Kinesis</c> from the environment (<c>Streaming__Kinesis__ServiceUrl</c>, ...), with flags on top. The
/// client itself then falls back to AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL and the AWS region chain.
/// </summary>
internal static class KinesisSettings
{
    public static KinesisClientOptions? Bind(IReadOnlyDictionary<string, string?> flags, out IReadOnlyList<string> errors)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(flags.ToDictionary(kv => $"{KinesisClientOptions.Section}:{kv.Key}", kv => kv.Value))
            .Build();
        var options = new KinesisClientOptions();
        try
        {
            configuration.GetSection(KinesisClientOptions.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            errors = [$"{KinesisClientOptions.Section}: {(e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message)}"];
            return null;
        }

        // Name the flag too when the value came from one.
        errors = [.. options.Validate().Select(error => flags.Keys.Aggregate(
            error,
            (message, key) => message.Replace($"{KinesisClientOptions.Section}:{key} is", $"{FlagOf(key)} ({KinesisClientOptions.Section}:{key}) is", StringComparison.Ordinal)))];
        return errors.Count == 0 ? options : null;
    }

    private static string FlagOf(string key) => key switch
    {
        nameof(KinesisClientOptions.ServiceUrl) => "--endpoint",
        nameof(KinesisClientOptions.Region) => "--region",
        _ => key,
    };
}

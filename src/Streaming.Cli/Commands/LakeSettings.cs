using System.CommandLine;
using Streaming.Aws.Storage;
using Streaming.Core.Configuration;
using Streaming.Core.Lake;
using Streaming.Storage.Local;

namespace Streaming.Cli.Commands;

/// <summary>
/// The lake options shared by every command that writes a lake. Each can be given as a flag or as the
/// environment variable <c>Streaming__Lake__&lt;Key&gt;</c>; a flag wins.
/// </summary>
internal sealed class LakeSettings
{
    public Option<string> Lake { get; }

    public Option<string?> TargetFileSize { get; } = new("--target-file-size") { Description = "Write a buffer out when it holds this much data (default 128MiB). Key Streaming:Lake:TargetFileSize." };

    public Option<string?> MemoryBudget { get; } = new("--memory-budget") { Description = "Memory all buffers may hold before the largest are written early (default 384MiB). Key Streaming:Lake:MemoryBudget." };

    public Option<string?> Compression { get; } = new("--compression") { Description = "Parquet compression: Zstd (default), Snappy, Gzip or None. Key Streaming:Lake:Compression." };

    public Option<string?> CompressionLevel { get; } = new("--compression-level") { Description = "How hard the codec works: Fastest (default; Zstd level 1), Optimal (Zstd 3) or Smallest (Zstd 19). Key Streaming:Lake:CompressionLevel." };

    public Option<string?> RowGroupRows { get; } = new("--row-group-rows") { Description = "Rows per Parquet row group (default 122880). Key Streaming:Lake:RowGroupRows." };

    public Option<string?> MaxOpenPartitions { get; } = new("--max-open-partitions") { Description = "Open (table, hour) buffers per input or shard before the least recently used are written (default 5000). Key Streaming:Lake:MaxOpenPartitions." };

    public Option<string?> MaxColumns { get; } = new("--max-columns") { Description = "Columns a table may have; later new fields go to _rescued (default 1000). Key Streaming:Lake:MaxColumnsPerTable." };

    public Option<string?> MaxEventSize { get; } = new("--max-event-size") { Description = "Larger events are rejected as too_large (default 10MiB). Key Streaming:Lake:MaxEventSize." };

    public LakeSettings(string? defaultLake = null)
    {
        Lake = new Option<string>("--lake")
        {
            Description = "The lake root: a directory, a file:// URI or s3://bucket/prefix (S3 settings: Streaming:S3:*).",
            Required = defaultLake is null,
        };
        if (defaultLake is not null)
        {
            Lake.DefaultValueFactory = _ => defaultLake;
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Lake);
        command.Options.Add(TargetFileSize);
        command.Options.Add(MemoryBudget);
        command.Options.Add(Compression);
        command.Options.Add(CompressionLevel);
        command.Options.Add(RowGroupRows);
        command.Options.Add(MaxOpenPartitions);
        command.Options.Add(MaxColumns);
        command.Options.Add(MaxEventSize);
    }

    /// <summary>Binds and validates; on failure returns null and the messages, each naming its key.</summary>
    public LakeOptions? Bind(ParseResult parse, out IReadOnlyList<string> errors)
    {
        var settings = new Settings(Flags(parse));
        var options = settings.Bind<LakeOptions>(LakeOptions.Section, _ => []);
        if (settings.Errors.Count > 0)
        {
            errors = [.. settings.Errors];
            return null;
        }

        errors = options.Validate();
        return errors.Count == 0 ? options : null;
    }

    /// <summary>The configuration keys the lake flags given on the command line set.</summary>
    public Dictionary<string, string?> Flags(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        void Flag(Option<string?> option, string key)
        {
            if (parse.GetValue(option) is { } value)
            {
                overrides[$"{LakeOptions.Section}:{key}"] = value;
            }
        }

        Flag(TargetFileSize, nameof(LakeOptions.TargetFileSize));
        Flag(MemoryBudget, nameof(LakeOptions.MemoryBudget));
        Flag(Compression, nameof(LakeOptions.Compression));
        Flag(CompressionLevel, nameof(LakeOptions.CompressionLevel));
        Flag(RowGroupRows, nameof(LakeOptions.RowGroupRows));
        Flag(MaxOpenPartitions, nameof(LakeOptions.MaxOpenPartitions));
        Flag(MaxColumns, nameof(LakeOptions.MaxColumnsPerTable));
        Flag(MaxEventSize, nameof(LakeOptions.MaxEventSize));
        return overrides;
    }

    /// <summary>
    /// Opens the lake named by <c>--lake</c>: a directory, a <c>file://</c> URI, or <c>s3://bucket/prefix</c> (the
    /// other S3 settings come from <c>Streaming:S3:*</c>: endpoint, path style, encryption...).
    /// </summary>
    public ILakeStore OpenStore(ParseResult parse, bool allowS3 = true)
    {
        var lake = parse.GetValue(Lake)!;
        if (S3LakeLocation.TryParse(lake, out var location))
        {
            if (!allowS3)
            {
                throw new LakeLocationException($"--lake {lake}: this command needs a local directory");
            }

            return new S3LakeStore(S3Options(location));
        }

        if (S3LakeLocation.IsS3Uri(lake))
        {
            throw new LakeLocationException($"--lake {lake}: not an S3 location; write s3://bucket/prefix");
        }

        if (lake.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            lake = new Uri(lake).LocalPath;
        }

        if (File.Exists(lake))
        {
            throw new LakeLocationException($"--lake {lake}: is a file, not a directory");
        }

        return new LocalLakeStore(lake);
    }

    /// <summary>
    /// The <c>Streaming:S3</c> settings (environment, appsettings.json) for a bucket and prefix; a lake and the
    /// inputs of <c>convert</c> share them. Throws <see cref="LakeLocationException"/> naming what is wrong.
    /// </summary>
    public static S3LakeStoreOptions S3Options(S3LakeLocation location)
    {
        var settings = new Settings(new Dictionary<string, string?>());
        var options = settings.Bind<S3LakeStoreOptions>(S3LakeStoreOptions.Section, o =>
        {
            location.ApplyTo(o);
            return o.Validate();
        });
        if (settings.Errors.Count > 0)
        {
            throw new LakeLocationException(string.Join(Environment.NewLine, settings.Errors));
        }

        return options;
    }
}

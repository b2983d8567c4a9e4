using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.Aws.Storage;
using Streaming.Cli.Athena;
using Streaming.Cli.Service;
using Streaming.Core.Configuration;
using Streaming.Core.Consumer;
using Streaming.Core.Leases;

namespace Streaming.Cli.Commands;

/// <summary>
/// The product's option classes, their sections and keys, and how a section is bound into one. Each class's binding
/// names the class (<c>(c, o) =&gt; c.Bind(o)</c>), so the configuration binder's source generator writes the code at
/// build time and the ahead-of-time compiled executable binds without reflection emit. The generator does not use
/// type converters, so sizes (<see cref="ByteSize"/>: <c>128MiB</c>) are parsed here, with the binder's own kind of
/// message on a bad value.
/// </summary>
internal static class OptionBinding
{
    private static readonly OptionClass[] Classes =
    [
        Of<LakeOptions>(LakeOptions.Section, static (c, o) => c.Bind(o)),
        Of<ConsumerOptions>(ConsumerOptions.Section, static (c, o) => c.Bind(o)),
        Of<LeaseOptions>(LeaseOptions.Section, static (c, o) => c.Bind(o)),
        Of<DynamoDbLeaseStoreOptions>(DynamoDbLeaseStoreOptions.Section, static (c, o) => c.Bind(o)),
        Of<KinesisClientOptions>(KinesisClientOptions.Section, static (c, o) => c.Bind(o)),
        Of<S3LakeStoreOptions>(S3LakeStoreOptions.Section, static (c, o) => c.Bind(o)),
        Of<OperationsOptions>(OperationsOptions.Section, static (c, o) => c.Bind(o)),
        Of<AthenaOptions>(AthenaOptions.Section, static (c, o) => c.Bind(o)),
    ];

    /// <summary>Every key the option classes read, as <c>Section:Property</c>.</summary>
    public static IEnumerable<string> Keys => Classes.SelectMany(c => c.Keys);

    public static void Bind(IConfiguration section, object options)
    {
        var type = options.GetType();
        var known = Array.Find(Classes, c => c.Type == type)
            ?? throw new ArgumentException($"{type.Name} is not an option class of the product", nameof(options));
        known.Bind(section, options);
    }

    private static OptionClass Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string section, Action<IConfiguration, T> bind)
        where T : class
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .ToArray();
        var sizes = properties.Where(p => p.PropertyType == typeof(ByteSize)).ToArray();
        return new OptionClass(
            typeof(T),
            [.. properties.Where(p => IsBindable(p.PropertyType)).Select(p => $"{section}:{p.Name}")],
            (configuration, options) =>
            {
                bind(configuration, (T)options);
                foreach (var property in sizes)
                {
                    if (configuration[property.Name] is not { } text)
                    {
                        continue;
                    }

                    var path = configuration is IConfigurationSection s ? $"{s.Path}:{property.Name}" : property.Name;
                    property.SetValue(options, ByteSize.TryParse(text, out var size)
                        ? size
                        : throw new InvalidOperationException(
                            $"Failed to convert configuration value '{text}' at '{path}' to type '{typeof(ByteSize).FullName}'.",
                            new FormatException($"'{text}' is not a size: use bytes or a unit, for example 128MiB")));
                }
            });
    }

    /// <summary>
    /// What configuration text can set: strings, numbers, booleans, enums, times, sizes and URIs (and their
    /// nullable forms).
    /// </summary>
    private static bool IsBindable(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(ByteSize);
    }

    private sealed record OptionClass(Type Type, string[] Keys, Action<IConfiguration, object> Bind);
}

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
/// Binds a configuration section into one of the product's option classes. Each call below names its class, so
/// the configuration binder's source generator writes the binding code at build time and the ahead-of-time compiled
/// executable binds without reflection emit. The generator does not use type converters, so sizes
/// (<see cref="ByteSize"/>: <c>128MiB</c>) are parsed here, with the binder's own kind of message on a bad value.
/// </summary>
internal static class OptionBinding
{
    public static void Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(IConfiguration section, T options)
        where T : class
    {
        switch (options)
        {
            case LakeOptions o: section.Bind(o); break;
            case ConsumerOptions o: section.Bind(o); break;
            case LeaseOptions o: section.Bind(o); break;
            case DynamoDbLeaseStoreOptions o: section.Bind(o); break;
            case KinesisClientOptions o: section.Bind(o); break;
            case S3LakeStoreOptions o: section.Bind(o); break;
            case OperationsOptions o: section.Bind(o); break;
            case AthenaOptions o: section.Bind(o); break;
            default: throw new ArgumentException($"{options.GetType().Name} is not an option class of the product", nameof(options));
        }

        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType != typeof(ByteSize) || property.SetMethod is not { IsPublic: true } || section[property.Name] is not { } text)
            {
                continue;
            }

            var path = section is IConfigurationSection s ? $"{s.Path}:{property.Name}" : property.Name;
            property.SetValue(options, ByteSize.TryParse(text, out var size)
                ? size
                : throw new InvalidOperationException($"Failed to convert configuration value '{text}' at '{path}' to type '{typeof(ByteSize).FullName}'.", new FormatException($"'{text}' is not a size: use bytes or a unit, for example 128MiB")));
        }
    }
}

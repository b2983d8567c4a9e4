using Microsoft.Extensions.Configuration;

namespace Streaming.Cli.Commands;

/// <summary>
/// One configuration for a command: <c>appsettings.json</c> (in the working directory, optional), then
/// environment variables (<c>Streaming__Section__Key</c>), then flags, each overriding the one before; bound into
/// option classes. Every binding or validation problem is collected with the key that caused it, so
/// a bad value stops the command at start-up with a message instead of a stack trace later.
/// </summary>
internal sealed class Settings
{
    private readonly IConfiguration _configuration;
    private readonly List<string> _errors = [];

    public Settings(IReadOnlyDictionary<string, string?> flags)
    {
        _configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(flags)
            .Build();
        _errors.AddRange(KnownKeys.Unknown(_configuration));
    }

    public IReadOnlyList<string> Errors => _errors;

    public IConfiguration Configuration => _configuration;

    /// <summary>Binds <paramref name="section"/> into a new <typeparamref name="T"/> and validates it.</summary>
    public T Bind<T>(string section, Func<T, IReadOnlyList<string>> validate)
        where T : class, new()
    {
        var options = new T();
        try
        {
            OptionBinding.Bind(_configuration.GetSection(section), options);
        }
        catch (InvalidOperationException e)
        {
            _errors.Add(e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message);
            return options;
        }

        _errors.AddRange(validate(options));
        return options;
    }
}

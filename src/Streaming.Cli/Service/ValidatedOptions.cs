using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Streaming.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Streaming.Cli.Service;

/// <summary>
/// Registers an option class the host's way: bound from the one configuration (appsettings.json, then
/// environment, then flags), validated by the class's own <c>Validate</c> (whose messages name the key and
/// what would be right), and checked when the host starts (<c>ValidateOnStart</c>), not at first use.
/// </summary>
internal static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(this IServiceCollection services, IConfiguration configuration, string section, Func<T, IReadOnlyList<string>> validate)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new Validator<T>(validate));
        return services.AddOptions<T>().Configure(o => OptionBinding.Bind(configuration.GetSection(section), o)).ValidateOnStart();
    }

    private sealed class Validator<T>(Func<T, IReadOnlyList<string>> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = validate(options);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

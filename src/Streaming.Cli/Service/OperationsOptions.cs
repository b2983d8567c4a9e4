namespace Streaming.Cli.Service;

/// <summary>The worker's HTTP endpoints for probes and scrapes. Configuration section <c>Streaming:Operations</c>.</summary>
internal sealed class OperationsOptions
{
    public const string Section = "Streaming:Operations";

    /// <summary>Port of <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>; 0 turns the endpoints off.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>Address to listen on: all interfaces by default, so that Kubernetes probes and Prometheus reach it.</summary>
    public string HttpAddress { get; set; } = "0.0.0.0";

    public IReadOnlyList<string> Validate(string section = Section)
    {
        var errors = new List<string>();
        if (HttpPort is < 0 or > 65535)
        {
            errors.Add($"{section}:HttpPort is {HttpPort}; it must be a TCP port (1-65535), or 0 to turn the endpoints off");
        }

        if (!System.Net.IPAddress.TryParse(HttpAddress, out _))
        {
            errors.Add($"{section}:HttpAddress is '{HttpAddress}'; it must be an IP address such as 0.0.0.0 or 127.0.0.1");
        }

        return errors;
    }
}

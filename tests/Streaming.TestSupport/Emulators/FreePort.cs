using System.Net;
using System.Net.Sockets;

namespace Streaming.TestSupport.Emulators;

internal static class FreePort
{
    /// <summary>
    /// A loopback port nobody listens on right now. Another process may take it before the emulator binds it;
    /// <see cref="EmulatorProcess"/> notices (the emulator exits with EADDRINUSE) and tries a new port.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

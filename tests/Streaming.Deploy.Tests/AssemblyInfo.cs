// The tools these tests run (helm and kubectl from the AWS CDK layer, setpriv) are Linux binaries.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

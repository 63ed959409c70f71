using System.Text.RegularExpressions;
using PatrawinConnector.Api.Health;
using PatrawinConnector.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace PatrawinConnector.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so the container files are checked for what can be checked: they parse, and they agree
/// with the contract (probe paths, port, DATA_DIR, non-root user, settings that exist).
/// </summary>
public sealed class DeploymentFilesTests
{
    private const string DataDir = "/usr/local/wisetime-connector/data";

    [Test]
    public void Dockerfile_MultiStageNonRootWithVolumeAndHealthcheck()
    {
        var dockerfile = File.ReadAllText(RepositoryFiles.Path("docker/Dockerfile"));

        Assert.That(Regex.Matches(dockerfile, @"^FROM ", RegexOptions.Multiline), Has.Count.EqualTo(2));
        Assert.That(dockerfile, Does.Contain("dotnet publish PatrawinConnector.Api/PatrawinConnector.Api.csproj -c Release"));
        Assert.That(dockerfile, Does.Match(@"(?m)^USER \$APP_UID$"), "a numeric user, so Kubernetes' runAsNonRoot can verify it");
        Assert.That(dockerfile, Does.Contain($"VOLUME [\"{DataDir}\"]").And.Contain($"DATA_DIR={DataDir}"));
        Assert.That(dockerfile, Does.Contain("HEALTHCHECK").And.Contain("\"healthcheck\"]"));
        Assert.That(dockerfile, Does.Contain("EXPOSE 8080"));
    }

    [Test]
    public void Deployment_ProbesOnTheContractEndpointsAndDataDirOnTheVolume()
    {
        var container = Yaml("docker/kubernetes/deployment.yaml")["spec"]["template"]["spec"]["containers"][0];

        Assert.That(Scalar(Yaml("docker/kubernetes/deployment.yaml")["spec"]["template"]["spec"]["securityContext"]["runAsUser"]), Is.EqualTo("1654"));
        Assert.That(Scalar(container["livenessProbe"]["httpGet"]["path"]), Is.EqualTo("/health/live"));
        Assert.That(Scalar(container["readinessProbe"]["httpGet"]["path"]), Is.EqualTo("/health/ready"));
        Assert.That(Scalar(container["ports"][0]["containerPort"]), Is.EqualTo("8080"));
        Assert.That(Scalar(container["volumeMounts"][0]["mountPath"]), Is.EqualTo(DataDir));
        Assert.That(((YamlSequenceNode)container["env"]).Children.Any(e => Scalar(e["name"]) == "DATA_DIR" && Scalar(e["value"]) == DataDir), Is.True);
        Assert.That(Scalar(container["envFrom"][0]["secretRef"]["name"]), Is.EqualTo(Scalar(Yaml("docker/kubernetes/secret.yaml")["metadata"]["name"])));
        Assert.That(Scalar(Yaml("docker/kubernetes/deployment.yaml")["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"]),
            Is.EqualTo(Scalar(Yaml("docker/kubernetes/persistentvolumeclaim.yaml")["metadata"]["name"])));
    }

    [Test]
    public void SecretAndComposeEnvironment_OnlyDocumentedSettings()
    {
        var documented = File.ReadAllText(RepositoryFiles.Path("docs/configuration.md"));
        var secretKeys = ((YamlMappingNode)Yaml("docker/kubernetes/secret.yaml")["stringData"]).Children.Keys.Select(Scalar);
        var exampleKeys = File.ReadAllLines(RepositoryFiles.Path("docker/connector.env.example"))
            .Select(l => l.TrimStart('#', ' ')).Where(l => l.Contains('=', StringComparison.Ordinal)).Select(l => l.Split('=')[0]);

        Assert.That(secretKeys.Concat(exampleKeys).Where(k => !documented.Contains($"`{k}`", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Compose_HealthcheckRestartPolicyAndVolume()
    {
        var service = Yaml("docker/docker-compose.yml")["services"]["patrawin-connector"];

        Assert.That(Scalar(service["restart"]), Is.EqualTo("unless-stopped"));
        Assert.That(((YamlSequenceNode)service["healthcheck"]["test"]).Children.Select(Scalar), Does.Contain("healthcheck"));
        Assert.That(Scalar(service["volumes"][0]), Does.EndWith(":" + DataDir));
    }

    [Test]
    public async Task LivenessProbe_ConnectorUp_ExitsZero()
    {
        using var factory = new ConnectorApiFactory();
        var address = await factory.StartOnLoopbackAsync();

        Assert.That(await LivenessProbe.RunAsync([address + "/health/live"]), Is.Zero);
        Assert.That(await LivenessProbe.RunAsync(["http://127.0.0.1:1/health/live"]), Is.EqualTo(1));
    }

    private static YamlNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepositoryFiles.Path(path)));
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlNode node) => ((YamlScalarNode)node).Value;
}

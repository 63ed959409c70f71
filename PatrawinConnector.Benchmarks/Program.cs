using PatrawinConnector.Benchmarks;

return args.FirstOrDefault() switch
{
    "webhook" => await WebhookLoad.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: PatrawinConnector.Benchmarks webhook [--url URL] [--groups N] [--concurrency C] [--warmup W] [--caller-key KEY]
          Posts N distinct time groups (timegroup-example.json, one tag) at concurrency C to a running connector
          and prints posts/s, p50 and p99. scripts/bench-webhook.sh starts a connector on the sandbox and runs it.
        """);
    return 64;
}

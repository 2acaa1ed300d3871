namespace TransferHub.EndToEnd.Tests;

/// <summary>A test that restarts the broker: runs on the private RabbitMQ node deploy/test.sh starts, skipped on containers.</summary>
public sealed class LocalBrokerFactAttribute : FactAttribute
{
    public LocalBrokerFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TH_TEST_INFRA") == "containers")
        {
            Skip = "The broker restart is scripted for the private RabbitMQ node (deploy/infra/rabbitmq.sh); with containers it is not run.";
        }
    }
}

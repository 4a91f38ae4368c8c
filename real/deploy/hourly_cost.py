#!/usr/bin/env python3
"""What one hour of the deployed stack costs, from the template and archlab's price table.

Usage: hourly_cost.py [--template T] [--prices P] [--extra-prices E] [--param Name=Value ...]
                      [--jobs-per-s R] [--status-polls-per-job N] [--json]
Counts what the template creates (instances per Auto Scaling group at its desired or minimum size,
load balancers, interface endpoints per AZ, public IPv4 addresses, root volumes, alarms) and, with
--jobs-per-s, the requests a steady stream of jobs makes. Prices come from models/prices/
aws-us-east-1.json, plus real/deploy/prices-extra.json for what the simulator does not bill.
Exit 2 with a message when an input is unreadable or a price is missing.
"""
import argparse
import json
import os
import sys

from cfn_yaml import TemplateError, load_template

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATE = os.path.join(HERE, "code-runner.yaml")
DEFAULT_PRICES = os.path.normpath(os.path.join(HERE, "..", "..", "models", "prices", "aws-us-east-1.json"))
DEFAULT_EXTRA_PRICES = os.path.join(HERE, "prices-extra.json")

HOURS_PER_MONTH = 730  # AWS's own convention for monthly prices
DEBIAN_ROOT_VOLUME_GIB = 8  # Debian's AMIs; the launch templates keep the AMI's root volume
ALB_NODES_PER_AZ = 1  # each ALB node holds a public IPv4 address; one per AZ at low traffic
ALB_NEW_CONNECTIONS_PER_LCU_S = 25  # LCU dimension; assumes every request opens a connection (worst case)
TARGET_TRACKING_ALARMS = 2  # AWS creates a scale-out and a scale-in alarm per target-tracking policy
EXCLUDED = [
    "data transfer (internet out, cross-AZ) and interface endpoint data processing ($/GB)",
    "free tiers (a class shares them)",
    "t3 unlimited surplus CPU credits beyond the baseline",
    "S3 storage and requests for the artifact, DynamoDB storage, SNS e-mail",
    "scale-out above the desired sizes (each extra instance: one more instance line)",
]


class InputError(Exception):
    """Bad input: reported with exit status 2."""


def read_price_table(path):
    # archlab's price files are JSON with whole-line // comments (nlohmann::json reads them so).
    try:
        with open(path, encoding="utf-8") as handle:
            text = "".join(line for line in handle if not line.lstrip().startswith("//"))
        items = json.loads(text)["items"]
        return {key: float(item["price"]) for key, item in items.items()}
    except OSError as error:
        raise InputError(f"cannot read price table {path}: {error.strerror}") from error
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"price table {path} is malformed: {error}") from error


class Prices:
    def __init__(self, paths):
        self.paths = paths
        self.sources = {}
        self.prices = {}
        for path in paths:
            for key, price in read_price_table(path).items():
                if key in self.prices:
                    raise InputError(f"price {key!r} is in both {self.sources[key]} and {path}; keep one")
                self.prices[key], self.sources[key] = price, path

    def __getitem__(self, key):
        if key not in self.prices:
            raise InputError(f"no price for {key!r} in {' or '.join(self.paths)}")
        return self.prices[key]


def resolve(value, parameters, where):
    """A property value with Ref to a parameter resolved to the parameter's value."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        name = value["Ref"]
        if name not in parameters:
            raise InputError(f"{where}: Ref {name!r} is not a parameter with a value (give --param {name}=...)")
        return parameters[name]
    return value


def parameter_values(template, overrides):
    values = {name: spec.get("Default") for name, spec in (template.get("Parameters") or {}).items()
              if isinstance(spec, dict) and "Default" in spec}
    for override in overrides:
        name, equals, value = override.partition("=")
        if not equals or name not in (template.get("Parameters") or {}):
            raise InputError(f"--param {override!r}: expected Name=Value with a template parameter name")
        values[name] = value
    return values


def to_count(value, where):
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise InputError(f"{where}: expected a whole number, got {value!r}") from error


def cost_lines(template, prices, overrides, jobs_per_s, status_polls_per_job):
    params = parameter_values(template, overrides)
    resources = template["Resources"]
    of_type = lambda kind: [(n, r) for n, r in resources.items() if r.get("Type") == kind]  # noqa: E731
    lines = []

    def line(item, quantity, price_key, unit_price, note=""):
        lines.append({"item": item, "quantity": quantity, "price_key": price_key,
                      "unit_price_usd": unit_price, "usd_per_hour": quantity * unit_price, "note": note})

    instances = 0
    for name, group in of_type("AWS::AutoScaling::AutoScalingGroup"):
        props = group.get("Properties") or {}
        size = props.get("DesiredCapacity", props.get("MinSize"))
        count = to_count(resolve(size, params, name), f"{name} size")
        template_name = (props.get("LaunchTemplate") or {}).get("LaunchTemplateId", {}).get("Ref")
        data = ((resources.get(template_name) or {}).get("Properties") or {}).get("LaunchTemplateData") or {}
        instance_type = resolve(data.get("InstanceType"), params, template_name or name)
        if not isinstance(instance_type, str):
            raise InputError(f"{name}: cannot tell the instance type of its launch template")
        key = f"ec2.{instance_type}.hour"
        line(f"{name}: {count} x {instance_type}", count, key, prices[key])
        instances += count
    gp3_hour = prices["ebs.gp3.gb_month"] / HOURS_PER_MONTH
    line(f"EBS root volumes: {instances} x {DEBIAN_ROOT_VOLUME_GIB} GiB gp3", instances * DEBIAN_ROOT_VOLUME_GIB,
         "ebs.gp3.gb_month", gp3_hour, "per GiB-hour = GB-month / 730")

    for name, balancer in of_type("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        props = balancer.get("Properties") or {}
        line(f"{name}: application load balancer", 1, "alb.hour", prices["alb.hour"])
        requests_per_s = jobs_per_s * (1 + status_polls_per_job)
        lcu = requests_per_s / ALB_NEW_CONNECTIONS_PER_LCU_S
        line(f"{name}: {lcu:g} LCU ({requests_per_s:g} requests/s, a connection each)", lcu, "alb.lcu_hour",
             prices["alb.lcu_hour"])
        if props.get("Scheme", "internet-facing") == "internet-facing":
            addresses = len(props.get("Subnets") or []) * ALB_NODES_PER_AZ
            line(f"{name}: {addresses} public IPv4 addresses (a node per AZ)", addresses, "vpc.public_ipv4.hour",
                 prices["vpc.public_ipv4.hour"])

    for name, endpoint in of_type("AWS::EC2::VPCEndpoint"):
        props = endpoint.get("Properties") or {}
        if props.get("VpcEndpointType", "Gateway") == "Interface":
            zones = len(props.get("SubnetIds") or [])
            line(f"{name}: interface endpoint in {zones} AZs", zones, "vpc.interface_endpoint.az_hour",
                 prices["vpc.interface_endpoint.az_hour"])

    alarm_metrics = len(of_type("AWS::CloudWatch::Alarm"))
    for name, policy in of_type("AWS::AutoScaling::ScalingPolicy"):
        spec = ((policy.get("Properties") or {}).get("TargetTrackingConfiguration") or {}).get(
            "CustomizedMetricSpecification") or {}
        metrics = sum(1 for query in spec.get("Metrics") or [] if "MetricStat" in query) or 1
        alarm_metrics += TARGET_TRACKING_ALARMS * metrics
    line(f"CloudWatch: {alarm_metrics} alarm metrics (alarms and target tracking's own)", alarm_metrics,
         "cloudwatch.alarm_metric.month", prices["cloudwatch.alarm_metric.month"] / HOURS_PER_MONTH,
         "per metric-hour = month / 730")

    queue_key = "sqs.fifo.request"
    for name, queue in of_type("AWS::SQS::Queue"):
        props = queue.get("Properties") or {}
        wait_s = to_count(props.get("ReceiveMessageWaitTimeSeconds", 0), f"{name} wait time")
        if name == "JobsQueue" and wait_s > 0:
            workers = sum(to_count(resolve((g.get("Properties") or {}).get(
                "DesiredCapacity", (g.get("Properties") or {}).get("MinSize")), params, n), n)
                for n, g in of_type("AWS::AutoScaling::AutoScalingGroup") if n == "WorkerGroup")
            polls = workers * 3600 / wait_s
            line(f"{name}: idle long polls ({workers} workers, one {wait_s} s poll at a time)", polls, queue_key,
                 prices[queue_key], "empty receives are billed")
    if jobs_per_s > 0:
        jobs = jobs_per_s * 3600
        # per job: SendMessage, ReceiveMessage, DeleteMessage (idle polls above stand for the misses)
        line(f"SQS: {jobs:g} jobs x 3 requests", jobs * 3, queue_key, prices[queue_key])
        # per job: PutItem + conditional UpdateItem (1 KB items); worker GetItem + status GetItems
        # (strongly consistent, 4 KB items)
        line(f"DynamoDB: {jobs:g} jobs x 2 write units", jobs * 2, "dynamodb.on_demand.write_unit",
             prices["dynamodb.on_demand.write_unit"])
        reads = 1 + status_polls_per_job
        line(f"DynamoDB: {jobs:g} jobs x {reads:g} read units", jobs * reads, "dynamodb.on_demand.read_unit",
             prices["dynamodb.on_demand.read_unit"])
    return lines


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--template", default=DEFAULT_TEMPLATE)
    parser.add_argument("--prices", default=DEFAULT_PRICES)
    parser.add_argument("--extra-prices", default=DEFAULT_EXTRA_PRICES)
    parser.add_argument("--param", action="append", default=[], metavar="Name=Value")
    parser.add_argument("--jobs-per-s", type=float, default=0.0, help="steady job rate (default: an idle hour)")
    parser.add_argument("--status-polls-per-job", type=float, default=2.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv[1:])
    try:
        if args.jobs_per_s < 0 or args.status_polls_per_job < 0:
            raise InputError("--jobs-per-s and --status-polls-per-job must not be negative")
        template = load_template(args.template)
        prices = Prices([args.prices, args.extra_prices])
        lines = cost_lines(template, prices, args.param, args.jobs_per_s, args.status_polls_per_job)
    except (InputError, TemplateError) as error:
        print(f"hourly_cost: {error}", file=sys.stderr)
        return 2
    total = sum(entry["usd_per_hour"] for entry in lines)
    if args.json:
        json.dump({"lines": lines, "total_usd_per_hour": total, "excluded": EXCLUDED}, sys.stdout, indent=2)
        print()
        return 0
    print(f"One hour of {os.path.basename(args.template)} in us-east-1, on demand, USD"
          f" ({args.jobs_per_s:g} jobs/s, {args.status_polls_per_job:g} status polls a job):")
    for entry in lines:
        print(f"  {entry['usd_per_hour']:10.5f}  {entry['item']}  [{entry['quantity']:g} x "
              f"{entry['unit_price_usd']:.8g} {entry['price_key']}]")
    print(f"  {total:10.5f}  total per hour (about {total * 24:.2f} a day)")
    print("Excluded: " + "; ".join(EXCLUDED) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

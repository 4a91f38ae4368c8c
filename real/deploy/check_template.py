#!/usr/bin/env python3
"""Offline checks of a CloudFormation template, for want of cfn-lint (not a Debian package).

Usage: check_template.py TEMPLATE [--code-runner]
Exit 0: no problems; 1: problems (one per line on stderr); 2: unreadable input.

Always checked:
  * every resource type is one this checker knows, with its required properties present;
  * every Ref, GetAtt, Sub ${...}, DependsOn and condition names something that exists, and every
    GetAtt attribute is one its resource type returns;
  * IAM policies: no "*" or "service:*" action, no NotAction/NotResource, no "*" resource except for
    actions that AWS only allows on "*";
  * launch templates require IMDSv2.
With --code-runner, the invariants of code-runner.yaml too (queue visibility vs. sandbox wall limit,
DLQ, scaling on the jobs queue).
The tables are written from the CloudFormation resource reference, for the types archlab uses only.
"""
import re
import sys

from cfn_yaml import TemplateError, load_template

# type → (required properties, alternatives of which one must be set, GetAtt attributes).
# "Required: Conditional" properties are listed where this template's use makes them required
# (e.g. a target group of instances needs Port, Protocol and VpcId).
KNOWN_TYPES = {
    "AWS::EC2::VPC": ([], [["CidrBlock", "Ipv4IpamPoolId"]],
                      ["CidrBlock", "CidrBlockAssociations", "DefaultNetworkAcl", "DefaultSecurityGroup",
                       "Ipv6CidrBlocks", "VpcId"]),
    "AWS::EC2::InternetGateway": ([], [], ["InternetGatewayId"]),
    "AWS::EC2::VPCGatewayAttachment": (["VpcId"], [["InternetGatewayId", "VpnGatewayId"]], ["AttachmentType"]),
    "AWS::EC2::Subnet": (["VpcId"], [["CidrBlock", "Ipv4IpamPoolId", "Ipv6Native"]],
                         ["AvailabilityZone", "AvailabilityZoneId", "CidrBlock", "Ipv6CidrBlocks",
                          "NetworkAclAssociationId", "OutpostArn", "SubnetId", "VpcId"]),
    "AWS::EC2::RouteTable": (["VpcId"], [], ["RouteTableId"]),
    "AWS::EC2::Route": (["RouteTableId"], [["DestinationCidrBlock", "DestinationIpv6CidrBlock",
                                            "DestinationPrefixListId"]], ["CidrBlock"]),
    "AWS::EC2::SubnetRouteTableAssociation": (["RouteTableId", "SubnetId"], [], ["Id"]),
    "AWS::EC2::VPCEndpoint": (["VpcId"], [["ServiceName", "ServiceNetworkArn", "ResourceConfigurationArn"]],
                              ["CreationTimestamp", "DnsEntries", "Id", "NetworkInterfaceIds"]),
    "AWS::EC2::SecurityGroup": (["GroupDescription"], [], ["GroupId", "VpcId"]),
    "AWS::EC2::LaunchTemplate": (["LaunchTemplateData"], [],
                                 ["DefaultVersionNumber", "LatestVersionNumber", "LaunchTemplateId"]),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ([], [], ["CanonicalHostedZoneID", "DNSName", "LoadBalancerArn",
                                                           "LoadBalancerFullName", "LoadBalancerName",
                                                           "SecurityGroups"]),
    "AWS::ElasticLoadBalancingV2::TargetGroup": (["Port", "Protocol", "VpcId"], [],
                                                 ["LoadBalancerArns", "TargetGroupArn", "TargetGroupFullName",
                                                  "TargetGroupName"]),
    "AWS::ElasticLoadBalancingV2::Listener": (["DefaultActions", "LoadBalancerArn"], [], ["ListenerArn"]),
    "AWS::AutoScaling::AutoScalingGroup": (["MaxSize", "MinSize"],
                                           [["LaunchTemplate", "LaunchConfigurationName", "InstanceId",
                                             "MixedInstancesPolicy"]], []),
    "AWS::AutoScaling::ScalingPolicy": (["AutoScalingGroupName"], [], ["Arn", "PolicyName"]),
    "AWS::SQS::Queue": ([], [], ["Arn", "QueueName", "QueueUrl"]),
    "AWS::DynamoDB::Table": (["AttributeDefinitions", "KeySchema"], [], ["Arn", "StreamArn"]),
    "AWS::IAM::Role": (["AssumeRolePolicyDocument"], [], ["Arn", "RoleId"]),
    "AWS::IAM::InstanceProfile": (["Roles"], [], ["Arn"]),
    "AWS::CloudWatch::Alarm": (["ComparisonOperator", "EvaluationPeriods"], [], ["Arn"]),
    "AWS::SNS::Topic": ([], [], ["TopicArn", "TopicName"]),
}

PSEUDO_PARAMETERS = {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
                     "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}

# Actions that support no resource-level permission, so IAM only accepts them on "*". The namespace
# condition key cloudwatch:namespace is how PutMetricData is narrowed instead.
RESOURCE_STAR_ALLOWED = {"cloudwatch:PutMetricData", "logs:DescribeLogGroups", "ec2:DescribeTags"}

SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class Checker:
    def __init__(self, template):
        self.template = template
        self.resources = template["Resources"]
        self.parameters = template.get("Parameters") or {}
        self.conditions = template.get("Conditions") or {}
        self.problems = []

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")

    # ---- types and required properties ----
    def check_types(self):
        for name, resource in self.resources.items():
            kind = resource.get("Type") if isinstance(resource, dict) else None
            if kind not in KNOWN_TYPES:
                self.problem(name, f"resource type {kind!r} is not in the checker's table of known types")
                continue
            required, alternatives, _ = KNOWN_TYPES[kind]
            properties = resource.get("Properties") or {}
            for prop in required:
                if prop not in properties:
                    self.problem(name, f"{kind} requires property {prop}")
            for choices in alternatives:
                if not any(choice in properties for choice in choices):
                    self.problem(name, f"{kind} requires one of {', '.join(choices)}")

    # ---- references ----
    def check_references(self):
        for name, resource in self.resources.items():
            if not isinstance(resource, dict):
                continue
            depends = resource.get("DependsOn", [])
            for target in [depends] if isinstance(depends, str) else depends:
                if target not in self.resources:
                    self.problem(name, f"DependsOn {target!r} names no resource")
            if "Condition" in resource and resource["Condition"] not in self.conditions:
                self.problem(name, f"Condition {resource['Condition']!r} is not defined")
            self.walk(resource.get("Properties"), name)
            self.walk(resource.get("UpdatePolicy"), name)
        for name, condition in self.conditions.items():
            self.walk(condition, f"Conditions.{name}")
        for name, output in (self.template.get("Outputs") or {}).items():
            self.walk(output, f"Outputs.{name}")

    def walk(self, node, where, sub_variables=frozenset()):
        if isinstance(node, list):
            for item in node:
                self.walk(item, where, sub_variables)
            return
        if not isinstance(node, dict):
            return
        if len(node) == 1:
            (key, value), = node.items()
            if key == "Ref":
                self.check_name(value, where, "Ref", sub_variables)
                return
            if key == "Fn::GetAtt":
                if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
                    self.check_get_att(value[0], value[1], where)
                else:
                    self.problem(where, f"Fn::GetAtt needs [Resource, Attribute], got {value!r}")
                return
            if key == "Fn::Sub":
                self.check_sub(value, where, sub_variables)
                return
            if key == "Condition" and isinstance(value, str):
                if value not in self.conditions:
                    self.problem(where, f"condition {value!r} is not defined")
                return
            if key == "Fn::If" and isinstance(value, list) and value and isinstance(value[0], str):
                if value[0] not in self.conditions:
                    self.problem(where, f"Fn::If condition {value[0]!r} is not defined")
                self.walk(value[1:], where, sub_variables)
                return
        for value in node.values():
            self.walk(value, where, sub_variables)

    def check_name(self, name, where, how, sub_variables=frozenset()):
        if name in self.parameters or name in self.resources or name in PSEUDO_PARAMETERS or name in sub_variables:
            return
        self.problem(where, f"{how} {name!r} names no parameter, resource or pseudo-parameter")

    def check_get_att(self, resource, attribute, where):
        if resource not in self.resources:
            self.problem(where, f"GetAtt {resource}.{attribute}: no resource {resource!r}")
            return
        kind = self.resources[resource].get("Type")
        valid = KNOWN_TYPES.get(kind, ([], [], []))[2]
        if attribute not in valid:
            self.problem(where, f"GetAtt {resource}.{attribute}: {kind} returns only {', '.join(valid) or 'nothing'}")

    def check_sub(self, value, where, outer_variables):
        if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
            text, variables = value
            self.walk(variables, where, outer_variables)
            local = frozenset(variables)
        elif isinstance(value, str):
            text, local = value, frozenset()
        else:
            self.problem(where, "Fn::Sub needs a string or [string, {variables}]")
            return
        for expression in SUB_VARIABLE.findall(text):
            if expression.startswith("!"):
                continue  # ${!Literal} is written out as ${Literal}
            if expression in local or expression in PSEUDO_PARAMETERS:
                continue
            if "." in expression:
                resource, _, attribute = expression.partition(".")
                self.check_get_att(resource, attribute, where)
            else:
                self.check_name(expression, where, "Fn::Sub ${}", local)

    # ---- IAM ----
    def check_iam(self):
        for name, resource in self.resources.items():
            if resource.get("Type") != "AWS::IAM::Role":
                continue
            for policy in (resource.get("Properties") or {}).get("Policies") or []:
                statements = (policy.get("PolicyDocument") or {}).get("Statement") or []
                for index, statement in enumerate([statements] if isinstance(statements, dict) else statements):
                    self.check_statement(statement, f"{name}.{policy.get('PolicyName')}[{index}]")

    def check_statement(self, statement, where):
        for forbidden in ("NotAction", "NotResource"):
            if forbidden in statement:
                self.problem(where, f"{forbidden} grants everything not listed; list what is allowed")
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        for action in actions:
            if not isinstance(action, str):
                self.problem(where, f"action {action!r} is not a plain string")
            elif action == "*" or action.endswith(":*"):
                self.problem(where, f"wildcard action {action!r}")
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, (str, dict)) else resources
        if any(item == "*" for item in resources):
            broad = [action for action in actions if action not in RESOURCE_STAR_ALLOWED]
            if broad:
                self.problem(where, f'resource "*" for {", ".join(map(str, broad))} (AWS requires "*" only for '
                                    f'{", ".join(sorted(RESOURCE_STAR_ALLOWED))})')

    # ---- launch templates ----
    def check_imdsv2(self):
        for name, resource in self.resources.items():
            if resource.get("Type") != "AWS::EC2::LaunchTemplate":
                continue
            data = (resource.get("Properties") or {}).get("LaunchTemplateData") or {}
            options = data.get("MetadataOptions") or {}
            if options.get("HttpTokens") != "required":
                self.problem(name, "IMDSv2 not required (MetadataOptions.HttpTokens must be 'required')")
            hop_limit = options.get("HttpPutResponseHopLimit")
            if not isinstance(hop_limit, int) or not 1 <= hop_limit <= 2:
                self.problem(name, "MetadataOptions.HttpPutResponseHopLimit must be set to 1 (or 2 for containers)")

    # ---- code runner invariants ----
    def check_code_runner(self):
        queue = self.resources.get("JobsQueue", {}).get("Properties") or {}
        if not queue:
            self.problem("JobsQueue", "missing (the code runner's jobs queue)")
            return
        wall = self.parameters.get("SandboxWallLimitSeconds") or {}
        wall_max_s = wall.get("MaxValue", wall.get("Default"))
        visibility = queue.get("VisibilityTimeout")
        if isinstance(visibility, dict) and "Ref" in visibility:  # a parameter: its smallest allowed value
            spec = self.parameters.get(visibility["Ref"]) or {}
            visibility_min_s = spec.get("MinValue", spec.get("Default"))
        else:
            visibility_min_s = visibility
        if not isinstance(wall_max_s, (int, float)) or not isinstance(visibility_min_s, (int, float)):
            self.problem("JobsQueue", "needs a numeric VisibilityTimeout (or a parameter with MinValue) and "
                                      "SandboxWallLimitSeconds a MaxValue")
        elif visibility_min_s <= wall_max_s:
            self.problem("JobsQueue", f"VisibilityTimeout (at least {visibility_min_s} s) must exceed the sandbox "
                                      f"wall limit's largest allowed value {wall_max_s} s, or a slow job runs twice")
        worker_data = ((self.resources.get("WorkerLaunchTemplate", {}).get("Properties") or {})
                       .get("LaunchTemplateData") or {})
        user_data = user_data_text(worker_data)
        if "ARCHLAB_WALL_TIMEOUT_S=${SandboxWallLimitSeconds}\n" not in user_data:
            self.problem("WorkerLaunchTemplate", "user data must pass SandboxWallLimitSeconds to the worker "
                                                 "(ARCHLAB_WALL_TIMEOUT_S=${SandboxWallLimitSeconds})")
        if visibility != {"Ref": "JobsVisibilityTimeoutSeconds"} or \
                "ARCHLAB_VISIBILITY_TIMEOUT_S=${JobsVisibilityTimeoutSeconds}\n" not in user_data:
            self.problem("WorkerLaunchTemplate", "the queue and the workers must share one visibility timeout "
                                                 "(JobsVisibilityTimeoutSeconds)")
        redrive = queue.get("RedrivePolicy") or {}
        if redrive.get("deadLetterTargetArn") != {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]}:
            self.problem("JobsQueue", "RedrivePolicy must send failed jobs to JobsDeadLetterQueue")
        self.check_scaling_on_jobs_queue()

    def check_scaling_on_jobs_queue(self):
        for name, resource in self.resources.items():
            props = resource.get("Properties") or {}
            if resource.get("Type") != "AWS::AutoScaling::ScalingPolicy" or props.get("AutoScalingGroupName") != {
                    "Ref": "WorkerGroup"}:
                continue
            spec = (props.get("TargetTrackingConfiguration") or {}).get("CustomizedMetricSpecification") or {}
            for query in spec.get("Metrics") or []:
                metric = (query.get("MetricStat") or {}).get("Metric") or {}
                for dimension in metric.get("Dimensions") or []:
                    if dimension.get("Name") == "QueueName" and dimension.get("Value") == {
                            "Fn::GetAtt": ["JobsQueue", "QueueName"]}:
                        return
        self.problem("WorkerGroup", "no target-tracking policy on a metric of the jobs queue (QueueName JobsQueue)")


def user_data_text(launch_template_data):
    """The user data script as text, before Fn::Sub (the template form, with its ${...})."""
    user_data = launch_template_data.get("UserData") or {}
    inner = user_data.get("Fn::Base64", user_data) if isinstance(user_data, dict) else user_data
    if isinstance(inner, dict):
        inner = inner.get("Fn::Sub", "")
    if isinstance(inner, list):
        inner = inner[0]
    return inner if isinstance(inner, str) else ""


def check(template, code_runner=False):
    """Returns the list of problems found in a loaded template."""
    checker = Checker(template)
    checker.check_types()
    checker.check_references()
    checker.check_iam()
    checker.check_imdsv2()
    if code_runner:
        checker.check_code_runner()
    return checker.problems


def main(argv):
    args = [arg for arg in argv[1:] if arg != "--code-runner"]
    if len(args) != 1 or any(arg.startswith("-") for arg in args):
        print("usage: check_template.py TEMPLATE [--code-runner]", file=sys.stderr)
        return 2
    try:
        template = load_template(args[0])
    except TemplateError as error:
        print(f"check_template: {error}", file=sys.stderr)
        return 2
    problems = check(template, code_runner="--code-runner" in argv)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"check_template: {args[0]}: {len(template['Resources'])} resources, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

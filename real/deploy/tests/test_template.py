# real.deploy.template: code-runner.yaml passes check_template.py, and broken copies of it (made here
# in a temp dir) are caught, so the checker can fail. Also: the loader knows every short tag.
import os
import subprocess
import sys
import tempfile
import unittest

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, DEPLOY)
from cfn_yaml import load_template  # noqa: E402
from check_template import check  # noqa: E402

TEMPLATE = os.path.join(DEPLOY, "code-runner.yaml")
CHECKER = os.path.join(DEPLOY, "check_template.py")

# (what is broken, text in the template, its replacement, words the report must contain)
BREAKAGES = [
    ("dangling Ref", "TargetGroupARNs: [!Ref ApiTargetGroup]", "TargetGroupARNs: [!Ref ApiTargetGroups]",
     "'ApiTargetGroups' names no parameter"),
    ("dangling Sub", '!Sub "${AWS::StackName}-api"', '!Sub "${StackNam}-api"', "'StackNam' names no"),
    ("missing required property", "      GroupDescription: archlab workers - no inbound traffic\n", "",
     "requires property GroupDescription"),
    ("wildcard action", "Action: [sqs:SendMessage]", 'Action: ["sqs:*"]', "wildcard action 'sqs:*'"),
    ("star action", "Action: [sqs:SendMessage]", 'Action: "*"', "wildcard action '*'"),
    ("star resource", "Action: [sqs:SendMessage], Resource: !GetAtt JobsQueue.Arn",
     'Action: [sqs:SendMessage], Resource: "*"', 'resource "*" for sqs:SendMessage'),
    ("invalid GetAtt attribute", "${LoadBalancer.DNSName}", "${LoadBalancer.DnsName}", "LoadBalancer.DnsName"),
    ("GetAtt of a missing resource", "!GetAtt JobsTable.Arn}", "!GetAtt JobTable.Arn}", "no resource 'JobTable'"),
    ("unknown type", "Type: AWS::SNS::Topic", "Type: AWS::SNS::Topik", "'AWS::SNS::Topik' is not in"),
    ("undefined condition", "Condition: HasCertificate\n    Properties", "Condition: HasCert\n    Properties",
     "'HasCert' is not defined"),
    ("IMDSv1 allowed", "HttpTokens: required", "HttpTokens: optional", "IMDSv2 not required"),
    ("visibility can fall below wall limit", "    MinValue: 45\n", "    MinValue: 30\n",
     "must exceed the sandbox"),
    ("wall limit not passed on", "ARCHLAB_WALL_TIMEOUT_S=${SandboxWallLimitSeconds}", "ARCHLAB_WALL_TIMEOUT_S=20",
     "must pass SandboxWallLimitSeconds"),
    ("workers told another visibility", "ARCHLAB_VISIBILITY_TIMEOUT_S=${JobsVisibilityTimeoutSeconds}",
     "ARCHLAB_VISIBILITY_TIMEOUT_S=30", "share one visibility timeout"),
    ("scaling on another queue", "Value: !GetAtt JobsQueue.QueueName}]\n                Stat: Sum",
     "Value: !GetAtt JobsDeadLetterQueue.QueueName}]\n                Stat: Sum", "no target-tracking policy"),
    ("no DLQ", "deadLetterTargetArn: !GetAtt JobsDeadLetterQueue.Arn", "deadLetterTargetArn: arn:aws:sqs:x",
     "RedrivePolicy must send"),
]


def run_checker(path):
    return subprocess.run([sys.executable, CHECKER, path, "--code-runner"], capture_output=True, text=True)


class TemplateTest(unittest.TestCase):
    def setUp(self):
        with open(TEMPLATE, encoding="utf-8") as handle:
            self.text = handle.read()
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def test_template_passes(self):
        result = run_checker(TEMPLATE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("0 problems", result.stdout)

    def test_each_breakage_is_caught(self):
        for what, old, new, expected in BREAKAGES:
            with self.subTest(what):
                self.assertIn(old, self.text, f"test out of date: {old!r} not in the template")
                result = run_checker(self.write("broken.yaml", self.text.replace(old, new, 1)))
                self.assertEqual(result.returncode, 1, f"{what}: not caught\n{result.stdout}{result.stderr}")
                self.assertIn(expected, result.stderr)

    def test_unreadable_input_exits_2(self):
        for text in ["Resources: [unclosed", "just: a mapping\n"]:
            result = run_checker(self.write("bad.yaml", text))
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("check_template:", result.stderr)
        result = run_checker(os.path.join(self.tmp.name, "absent.yaml"))
        self.assertEqual(result.returncode, 2)

    def test_loader_knows_every_short_tag(self):
        tags = ["Ref A", "GetAtt R.Attr.Sub", "Sub 'x'", "Join ['', [a]]", "Select [0, [a]]", "GetAZs ''",
                "If [C, a, b]", "Equals [a, b]", "FindInMap [M, k, v]", "Base64 x", "Split [',', 'a,b']",
                "ImportValue x", "Not [!Condition C]", "And [!Condition C, !Condition C]",
                "Or [!Condition C, !Condition C]", "Condition C", "Cidr ['10.0.0.0/16', 4, 8]"]
        body = "Resources:\n  X:\n    Type: T\n    Properties:\n" + "".join(
            f"      P{i}: !{tag}\n" for i, tag in enumerate(tags))
        properties = load_template(self.write("tags.yaml", body))["Resources"]["X"]["Properties"]
        self.assertEqual(properties["P0"], {"Ref": "A"})
        self.assertEqual(properties["P1"], {"Fn::GetAtt": ["R", "Attr.Sub"]})
        self.assertEqual(properties["P10"], {"Fn::Split": [",", "a,b"]})
        self.assertEqual(properties["P12"], {"Fn::Not": [{"Condition": "C"}]})
        self.assertEqual(len(properties), len(tags))

    def test_star_resource_allowed_only_where_aws_requires_it(self):
        template = load_template(TEMPLATE)
        statements = template["Resources"]["ApiRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        statements.append({"Effect": "Allow", "Action": ["cloudwatch:PutMetricData"], "Resource": "*"})
        self.assertEqual(check(template), [])


if __name__ == "__main__":
    unittest.main()

// Creates the code runner's AWS resources on the local emulators (or any
// endpoint speaking the AWS JSON 1.0 protocol): the jobs table, the FIFO jobs
// queue and its dead-letter queue. Idempotent: existing resources are kept.
// Prints one JSON object {table, queue_url, dlq_url, queue_arn, dlq_arn}.
//
// Requests are SigV4-signed for real (the emulators only look for an
// Authorization header, but a signature-checking proxy in front of them, or
// real AWS, then accepts them too).
//
// usage: node create-resources.mjs --sqs-endpoint URL --dynamodb-endpoint URL
//          [--region us-east-1] [--table archlab-jobs] [--queue archlab-jobs.fifo]
//          [--dlq archlab-jobs-dlq.fifo] [--visibility-timeout-s 30]
//          [--max-receive-count 3] [--timeout-s 20]
import { createHash, createHmac } from "node:crypto";

const defaults = {
  "sqs-endpoint": "", "dynamodb-endpoint": "", region: process.env.AWS_REGION ?? "us-east-1",
  table: "archlab-jobs", queue: "archlab-jobs.fifo", dlq: "archlab-jobs-dlq.fifo",
  "visibility-timeout-s": "30", "max-receive-count": "3", "timeout-s": "20",
};

function fail(message, code = 1) {
  console.error(`create-resources: ${message}`);
  process.exit(code);
}

function parseArgs(argv) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, "");
    if (!argv[i].startsWith("--") || !(name in defaults)) fail(`unknown option ${argv[i]}`, 2);
    if (i + 1 >= argv.length) fail(`option ${argv[i]} needs a value`, 2);
    options[name] = argv[i + 1];
  }
  for (const name of ["sqs-endpoint", "dynamodb-endpoint"])
    if (!options[name]) fail(`--${name} is required`, 2);
  for (const name of ["visibility-timeout-s", "max-receive-count", "timeout-s"])
    if (!/^[0-9]+$/.test(options[name])) fail(`--${name} must be a whole number, got "${options[name]}"`, 2);
  if (!options.queue.endsWith(".fifo") || !options.dlq.endsWith(".fifo"))
    fail("queue names must end in .fifo (the jobs queue is FIFO, so its DLQ must be too)", 2);
  if (options.table.length < 3) fail("table names need at least 3 characters (DynamoDB rule)", 2);
  return options;
}

const sha256Hex = (text) => createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key, text) => createHmac("sha256", key).update(text, "utf8").digest();

// Minimal SigV4 for a POST to "/" with no query: enough for JSON 1.0 calls.
function signedHeaders({ url, service, region, target, body }) {
  const accessKey = process.env.AWS_ACCESS_KEY_ID ?? "test";
  const secretKey = process.env.AWS_SECRET_ACCESS_KEY ?? "test";
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers = {
    "content-type": "application/x-amz-json-1.0",
    host: new URL(url).host,
    "x-amz-date": amzDate,
    "x-amz-target": target,
  };
  const names = Object.keys(headers).sort();
  const canonical = ["POST", "/", "", ...names.map((n) => `${n}:${headers[n]}`), "",
    names.join(";"), sha256Hex(body)].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonical)].join("\n");
  let key = hmac(`AWS4${secretKey}`, day);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(toSign, "utf8").digest("hex");
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  if (process.env.AWS_SESSION_TOKEN) headers["x-amz-security-token"] = process.env.AWS_SESSION_TOKEN;
  delete headers.host;  // fetch sets it itself, to the same value
  return headers;
}

async function call(options, service, target, payload) {
  const url = service === "sqs" ? options["sqs-endpoint"] : options["dynamodb-endpoint"];
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: "POST", body, headers: signedHeaders({ url, service, region: options.region, target, body }),
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  return { ok: response.ok, status: response.status, json };
}

function errorType(json) {
  return String(json.__type ?? json.code ?? "").split("#").pop();
}

async function ensureTable(options) {
  const created = await call(options, "dynamodb", "DynamoDB_20120810.CreateTable", {
    TableName: options.table,
    AttributeDefinitions: [{ AttributeName: "execution_id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "execution_id", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  if (!created.ok && errorType(created.json) !== "ResourceInUseException")
    fail(`CreateTable ${options.table}: HTTP ${created.status} ${JSON.stringify(created.json)}`);
  // Bounded wait for ACTIVE (dynalite with --createTableMs 0 is ACTIVE at once).
  const deadline = Date.now() + Number(options["timeout-s"]) * 1000;
  for (;;) {
    const described = await call(options, "dynamodb", "DynamoDB_20120810.DescribeTable", { TableName: options.table });
    if (described.ok && described.json.Table?.TableStatus === "ACTIVE") return;
    if (Date.now() > deadline) fail(`table ${options.table} not ACTIVE after ${options["timeout-s"]} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function ensureQueue(options, name, attributes) {
  const created = await call(options, "sqs", "AmazonSQS.CreateQueue", { QueueName: name, Attributes: attributes });
  if (!created.ok) fail(`CreateQueue ${name}: HTTP ${created.status} ${JSON.stringify(created.json)}`);
  const url = created.json.QueueUrl;
  const got = await call(options, "sqs", "AmazonSQS.GetQueueAttributes", { QueueUrl: url, AttributeNames: ["QueueArn"] });
  if (!got.ok || !got.json.Attributes?.QueueArn) fail(`GetQueueAttributes ${name}: HTTP ${got.status} ${JSON.stringify(got.json)}`);
  return { url, arn: got.json.Attributes.QueueArn };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await ensureTable(options);
  const fifo = { FifoQueue: "true", ContentBasedDeduplication: "false" };
  const dlq = await ensureQueue(options, options.dlq, { ...fifo, MessageRetentionPeriod: "1209600" });
  const queue = await ensureQueue(options, options.queue, {
    ...fifo,
    VisibilityTimeout: options["visibility-timeout-s"],
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: Number(options["max-receive-count"]) }),
  });
  console.log(JSON.stringify({ table: options.table, queue_url: queue.url, queue_arn: queue.arn, dlq_url: dlq.url, dlq_arn: dlq.arn }));
}

// fetch hides the reason (ECONNREFUSED, timeout) in error.cause.
main().catch((error) => {
  const cause = error?.cause?.code ?? error?.cause?.message ?? error?.cause?.errors?.[0]?.code;
  fail(cause ? `${error.message}: ${cause}` : String(error));
});

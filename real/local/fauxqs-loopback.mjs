// Starts fauxqs (SQS emulator) on 127.0.0.1 only. Its own CLI hard-codes
// 0.0.0.0, and this project's servers never listen beyond loopback, so we use
// the exported buildApp() instead. Run with node from this folder.
//   FAUXQS_PORT (default 4566)  FAUXQS_HOST: host part of the queue URLs it
//   hands out (default "localhost"; clients only pass them back as QueueUrl,
//   they always connect to AWS_ENDPOINT_URL_SQS).
import { buildApp } from "fauxqs";

const port = Number.parseInt(process.env.FAUXQS_PORT ?? "4566", 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`fauxqs-loopback: bad FAUXQS_PORT ${process.env.FAUXQS_PORT}`);
  process.exit(2);
}
const app = buildApp({ logger: false, host: process.env.FAUXQS_HOST ?? "localhost" });
await app.listen({ port, host: "127.0.0.1" });
console.log(`fauxqs listening at http://127.0.0.1:${port}`);

// stack.sh stops us with TERM; close the listener so the port frees at once.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    app.close().finally(() => process.exit(0));
  });
}

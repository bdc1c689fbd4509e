// npx tsx scripts/grade.ts --key KEY.json  (or: npm run -s grade -- --key KEY.json)
// Reads one answer per line on stdin and prints one JSON object per line:
//   {"answer": "...", "verdict": "correct|partial|incorrect|review", "score": 1}
// Every input line gets an output line (an empty line is graded "incorrect", score 0), so output
// lines pair with input lines. A bad key exits 2 with the file and field on stderr.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseAnswerKeyDocument, type AnswerKey } from "../lib/grading/answer-key";
import { gradeAnswer } from "../lib/grading/grade";

const USAGE = "usage: grade --key KEY.json < answers.txt";

function fail(message: string): never {
  process.stderr.write(`grade: ${message}\n`);
  process.exit(2);
}

function keyPathFromArgs(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--key") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) fail(`--key needs a file name\n${USAGE}`);
      return value;
    }
    if (arg.startsWith("--key=")) return arg.slice("--key=".length);
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    fail(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  fail(`missing --key\n${USAGE}`);
}

function loadKey(path: string): AnswerKey {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    fail(`cannot read key file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    fail(`key file ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseAnswerKeyDocument(doc);
  if (!parsed.ok) fail(`invalid answer key in ${path}:\n${parsed.issues.map((i) => `  ${i}`).join("\n")}`);
  return parsed.key;
}

const key = loadKey(keyPathFromArgs(process.argv.slice(2)));
const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
for await (const line of lines) {
  const answer = line.replace(/\r$/, "");
  const { verdict, score } = gradeAnswer(answer, key);
  process.stdout.write(`${JSON.stringify({ answer, verdict, score })}\n`);
}

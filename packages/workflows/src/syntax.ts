import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import type { Finding } from "./finding.js";

/** `name.yml (Line: 5, Col: 5): Unexpected value 'stepz'` → position and message. */
const POSITIONED = /^.*? \(Line: (\d+), Col: (\d+)\): ([\s\S]*)$/;

/**
 * GitHub's own reading of a workflow file (`@actions/workflow-parser`, the parser behind the
 * Actions language service): YAML, the workflow schema (keys, types, permission scopes, events),
 * expressions and their contexts, then the conversion checks (job `needs`, cron syntax, …).
 * Every error becomes a finding with its position; none means GitHub accepts the file.
 */
export async function checkSyntax(file: string, content: string): Promise<Finding[]> {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const messages = new Map<string, Finding>();
  const add = (raw: string, line = 1, column = 1) => {
    const m = POSITIONED.exec(raw);
    const finding: Finding = m
      ? { file, line: Number(m[1]), column: Number(m[2]), rule: "syntax", message: m[3]!.trim() }
      : { file, line, column, rule: "syntax", message: raw.replace(`${file}: `, "").trim() };
    // One line per finding: the YAML reader appends an excerpt of the source after the first line.
    const oneLine: Finding = { ...finding, message: finding.message.split("\n")[0]!.replace(/:$/, "") };
    messages.set(`${oneLine.line}:${oneLine.column}:${oneLine.message}`, oneLine);
  };
  for (const error of parsed.context.errors.getErrors())
    add(error.message, error.range?.start.line, error.range?.start.column);
  if (parsed.value) {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const error of template.errors ?? []) add(error.Message);
  }
  return [...messages.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}

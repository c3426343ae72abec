// Where the findings go besides the report files: a Bitbucket Code Insights report on the commit
// being built (`--code-insights`) and, in GitHub Actions, annotations and the job summary. A failed
// check is delivered as failed there too, so nothing shown for the commit or the job claims a pass.
import type { Stack } from "@pulumi/pulumi/automation";
import type { Client } from "../client";
import { declaringLinesOfStack, SourceLine } from "./findings";
import { appendJobSummary, githubAnnotations, githubFailedCheck, inGithubActions } from "./github";
import {
  failedInsightsReport,
  insightsAnnotations,
  insightsReport,
  InsightsNotPublished,
  insightsTarget,
  InsightsTarget,
  publishInsights,
  reportIdFor,
} from "./insights";
import { DriftReport, FailedCheck, failedToMarkdown, toMarkdown } from "./report";

export type { InsightsTarget };

interface Io {
  stdout: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** The commit to publish on, checked before anything runs; undefined without `--code-insights`. */
export function deliveryTarget(options: { codeInsights?: boolean; repository?: string; commit?: string }, env: NodeJS.ProcessEnv): InsightsTarget | undefined {
  return options.codeInsights ? insightsTarget(options, env) : undefined;
}

export async function deliverFindings(
  report: DriftReport,
  ctx: {
    target?: InsightsTarget;
    stack?: Stack;
    cwd: string;
    title?: string;
    client: () => Promise<Client>;
    io: Io;
    progress: (message: string) => void;
  },
): Promise<void> {
  const github = inGithubActions(ctx.io.env);
  if (!ctx.target && !github) return;
  const lines: Map<string, SourceLine> = await declaringLinesOfStack(ctx.stack, ctx.cwd, report.stack, ctx.io.env, ctx.progress);
  if (ctx.target) {
    const { api } = await ctx.client();
    await publishInsights(api, ctx.target, reportIdFor(report.stack), insightsReport(report), insightsAnnotations(report, lines), ctx.progress);
  }
  if (github) {
    ctx.io.stdout.write(githubAnnotations(report, lines));
    if (appendJobSummary(ctx.io.env, toMarkdown(report, ctx.title))) ctx.progress("appended the report to the job summary");
  }
}

/** Best effort: the check has failed already, so a failure here is only said on `progress`. */
export async function deliverFailedCheck(
  check: FailedCheck,
  ctx: { target?: InsightsTarget; client?: Client; title?: string; error?: unknown; io: Io; progress: (message: string) => void },
): Promise<void> {
  if (inGithubActions(ctx.io.env)) {
    ctx.io.stdout.write(githubFailedCheck(check));
    try {
      appendJobSummary(ctx.io.env, failedToMarkdown(check, ctx.title));
    } catch (err) {
      ctx.progress(`could not append to the job summary: ${(err as Error).message}`);
    }
  }
  if (!ctx.target || ctx.error instanceof InsightsNotPublished) return;
  if (!ctx.client || !check.stack) {
    ctx.progress("no Code Insights report published: the check failed before it had the stack and its credentials");
    return;
  }
  try {
    await publishInsights(ctx.client.api, ctx.target, reportIdFor(check.stack), failedInsightsReport(check), [], ctx.progress);
  } catch (err) {
    ctx.progress(`error: ${(err as Error).message}`);
  }
}

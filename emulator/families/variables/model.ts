// Pipeline variables (of a repository, a workspace or a deployment environment) as the state holds them.

export interface PipelineVariable {
  uuid: string;
  key: string;
  /** Kept for a secured variable too (builds read it); never rendered then. */
  value: string;
  secured: boolean;
}

// Whether a repository overrides its project's merge strategy and branching model.

export interface OverrideSettings {
  default_merge_strategy: boolean;
  branching_model: boolean;
}

// Code Insights reports and their annotations as the state holds them: on the repository, each report
// on one commit (its full hash).

export interface ReportData {
  title?: string;
  type?: string;
  value?: unknown;
}

export interface Annotation {
  uuid: string;
  external_id: string;
  annotation_type?: string;
  path?: string;
  line?: number;
  summary: string;
  details?: string;
  result?: string;
  severity?: string;
  link?: string;
  created_on: string;
  updated_on: string;
}

export interface Report {
  uuid: string;
  /** The full hash of the commit the report is on. */
  commit: string;
  external_id: string;
  title: string;
  details?: string;
  reporter?: string;
  link?: string;
  logo_url?: string;
  remote_link_enabled?: boolean;
  report_type?: string;
  result?: string;
  data: ReportData[];
  created_on: string;
  updated_on: string;
  annotations: Annotation[];
}

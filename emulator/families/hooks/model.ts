// Webhooks as the state holds them.

export interface Hook {
  uuid: string;
  url: string;
  description: string;
  active: boolean;
  events: string[];
  secret: string | null;
  created_at: string;
}

import { linkApiFields } from '../../domain/links/link-api-fields.ts';
import type { Link } from '../../domain/links/link.ts';
import { destinationOf } from '../../domain/links/resolve-destination.ts';
import { shortUrl } from '../../domain/links/short-url.ts';
import type { HttpSettings } from '../http-deps.ts';

/** The link as the API shows it: snake_case, with the derived URLs a caller would otherwise compute. */
export interface LinkJson {
  id: string;
  domain: string | null;
  slug: string;
  short_url: string;
  url: string;
  destination_url: string;
  redirect_type: number;
  title: string | null;
  tags: string[];
  campaign: string | null;
  utm: Link['utm'];
  priority: Link['priority'];
  owner: string | null;
  expires_at: string | null;
  expired_url: string | null;
  scheduled_changes: Link['scheduledChanges'];
  is_test: boolean;
  external_id: string | null;
  metadata: Record<string, string>;
  qr_url: string;
  created_at: string;
  updated_at: string;
}

export function linkJson(link: Link, settings: Pick<HttpSettings, 'baseUrl' | 'customDomainScheme'>, now: Date): LinkJson {
  return {
    id: link.id,
    ...linkApiFields(link),
    short_url: shortUrl(link, settings.baseUrl, settings.customDomainScheme),
    // What a visitor is sent to right now: scheduled changes applied, UTMs merged.
    destination_url: destinationOf(link, now),
    qr_url: `/api/v1/links/${encodeURIComponent(link.id)}/qr`,
    created_at: link.createdAt,
    updated_at: link.updatedAt,
  };
}

import type { AlertPayload } from './envelope.ts';
import type { EndpointSummary } from './payload-schemas.ts';
import { envelope, SAMPLE_LINK } from './sample-link-events.ts';

// Sample envelopes for the monitoring, alert, report, endpoint and import
// events (the link-change and click samples are in sample-link-events.ts).

const SAMPLE_ALERT: AlertPayload = {
  id: 'alr_01kjses2s46kkbyhta7ps7hx2e',
  fingerprint: 'rule_spike:lnk_01kjth2hky4bca334zxdr9ebmv',
  rule_id: 'rule_spike',
  rule_name: 'Click spike on campaign links',
  status: 'triggered',
  severity: 'warning',
  summary: 'go.acme.example/spring got 1,240 clicks in 15 min, 6.2x its usual 200',
  metric: 'clicks',
  value: 1240,
  threshold: 600,
  window: '15m',
  owner: { name: 'Ana Lopez', contact: 'ana@acme.example' },
  action: 'Check the campaign is not being scraped; see https://wiki.acme.example/runbooks/click-spike',
  triggered_at: '2026-03-14T09:30:00.000Z',
  resolved_at: null,
};

const SAMPLE_ENDPOINT: EndpointSummary = {
  id: 'ep_01kjr2rk8myrm27v3bhxbhcmjs',
  kind: 'http',
  name: 'CRM webhook',
  url_host: 'hooks.crm.acme.example',
  class: 'alert',
  owner: 'platform@acme.example',
};

const HEALTH_URL = 'https://acme.example/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026';

export const OTHER_EVENT_SAMPLES = {
  'link.expiring': envelope('link.expiring', 'evt_01kjt575q0wg0mfsjjrp8qgxv7', '2026-03-30T00:00:00.000Z', {
    link: SAMPLE_LINK,
    expires_at: '2026-03-31T00:00:00.000Z',
    expires_in_seconds: 86400,
  }),
  'link.expired': envelope('link.expired', 'evt_01kjwgdb1kf6dehtqq18ne7r1q', '2026-03-31T00:00:00.000Z', {
    link: SAMPLE_LINK,
    expired_at: '2026-03-31T00:00:00.000Z',
    expired_url: 'https://acme.example/sale-is-over',
  }),
  'link.utm_incomplete': envelope('link.utm_incomplete', 'evt_01kk5vtbc4tgwmnpsa2eqpjrjx', '2026-03-02T10:15:00.000Z', {
    link: { ...SAMPLE_LINK, utm: { source: 'Newsletter' }, destination_url: 'https://acme.example/sale?utm_source=Newsletter' },
    missing: ['medium', 'campaign'],
    required: ['source', 'medium', 'campaign'],
    utm: { source: 'Newsletter' },
    problems: [
      { key: 'source', problem: 'case', value: 'Newsletter', suggestion: 'newsletter', message: 'utm_source "Newsletter" must be lower case: use "newsletter"' },
      { key: 'medium', problem: 'missing', value: null, suggestion: 'email', message: 'utm_medium is required by the policy but missing; e.g. "email"' },
      { key: 'campaign', problem: 'missing', value: null, suggestion: 'spring-2026', message: 'utm_campaign is required by the policy but missing; e.g. "spring-2026"' },
    ],
  }),
  'link.redirect_failed': envelope('link.redirect_failed', 'evt_01kkg07mdz2599sfr722hdmxy1', '2026-03-15T03:12:00.000Z', {
    link: SAMPLE_LINK,
    check: { url: HEALTH_URL, checked_at: '2026-03-15T03:12:00.000Z', status: 503, error_class: 'http_status', error: 'HTTP 503 Service Unavailable', duration_ms: 412 },
    consecutive_failures: 3,
    failing_since: '2026-03-15T03:02:00.000Z',
  }),
  'link.redirect_recovered': envelope('link.redirect_recovered', 'evt_01kkagc7ax0bkgxr275tdna5vy', '2026-03-15T03:47:00.000Z', {
    link: SAMPLE_LINK,
    check: { url: HEALTH_URL, checked_at: '2026-03-15T03:47:00.000Z', status: 200, error_class: null, error: null, duration_ms: 188 },
    failing_since: '2026-03-15T03:02:00.000Z',
    downtime_seconds: 2700,
  }),
  'alert.triggered': envelope('alert.triggered', 'evt_01kjtvq7t5g3gdm6hq8gdtt3mq', '2026-03-14T09:30:00.000Z', {
    alert: SAMPLE_ALERT,
    link: SAMPLE_LINK,
  }),
  'alert.resolved': envelope('alert.resolved', 'evt_01kjy47jfqsjdnqg7g8z809xvf', '2026-03-14T10:45:00.000Z', {
    alert: {
      ...SAMPLE_ALERT,
      status: 'resolved',
      severity: 'info',
      summary: 'go.acme.example/spring is back to 210 clicks in 15 min (usual 200)',
      value: 210,
      resolved_at: '2026-03-14T10:45:00.000Z',
    },
    link: SAMPLE_LINK,
  }),
  'report.summary': envelope('report.summary', 'evt_01kjyw30d26h6dhtnxrxktz17y', '2026-03-16T07:00:00.000Z', {
    report: {
      id: 'rpt_01kkkzcm0ygvks2tgt9amx0jtb',
      name: 'Weekly campaign summary',
      owner: 'ana@acme.example',
      period_start: '2026-03-09T00:00:00.000Z',
      period_end: '2026-03-16T00:00:00.000Z',
      totals: { clicks: 18342, scans: 2210, unique_visitors: 12907, bots: 1544, test: 37 },
      top_links: [
        { link_id: SAMPLE_LINK.id, short_url: SAMPLE_LINK.short_url, title: SAMPLE_LINK.title, clicks: 9120 },
        { link_id: 'lnk_01kkbzrbsfrmwwz0z908n3h4wb', short_url: 'https://go.acme.example/webinar', title: 'Webinar sign-up', clicks: 4388 },
      ],
      top_countries: [
        { country: 'DE', clicks: 6011 },
        { country: 'FR', clicks: 3970 },
        { country: null, clicks: 212 },
      ],
      top_referrers: [
        { referrer_domain: 'mail.google.com', clicks: 7402 },
        { referrer_domain: null, clicks: 5120 },
      ],
      timezone: 'Europe/Berlin',
      daily_clicks: [
        { date: '2026-03-09', clicks: 2110 },
        { date: '2026-03-10', clicks: 2604 },
        { date: '2026-03-11', clicks: 3380 },
        { date: '2026-03-12', clicks: 2951 },
        { date: '2026-03-13', clicks: 2475 },
        { date: '2026-03-14', clicks: 2390 },
        { date: '2026-03-15', clicks: 2432 },
      ],
      growing_links: [{ link_id: 'lnk_01kkbzrbsfrmwwz0z908n3h4wb', short_url: 'https://go.acme.example/webinar', title: 'Webinar sign-up', clicks: 4388, previous_clicks: 1210 }],
      issues: [
        { link_id: 'lnk_01kkc0a1b2c3d4e5f6g7h8j9k0', short_url: 'https://go.acme.example/fall', title: 'Fall teaser', kind: 'incomplete_utm', detail: 'missing utm_medium' },
        { link_id: 'lnk_01kkc0a1b2c3d4e5f6g7h8j9k1', short_url: 'https://go.acme.example/promo', title: null, kind: 'expired_but_visited', detail: 'expired 2026-03-01 00:00 UTC, last visit 2026-03-15 18:42 UTC' },
      ],
      inactive_links: [{ link_id: 'lnk_01kkc0a1b2c3d4e5f6g7h8j9k2', short_url: 'https://go.acme.example/spring-de', title: 'Spring (DE)', campaign: 'spring-2026' }],
    },
  }),
  'endpoint.disabled': envelope('endpoint.disabled', 'evt_01kjtqfp1dxq6hfah46420ykqc', '2026-03-18T03:02:00.000Z', {
    endpoint: SAMPLE_ENDPOINT,
    reason: 'failing',
    disabled_at: '2026-03-18T03:02:00.000Z',
    failing_since: '2026-03-15T03:02:00.000Z',
    last_error: { status: 502, error_class: 'http_status', message: 'HTTP 502 Bad Gateway' },
  }),
  'endpoint.recovered': envelope('endpoint.recovered', 'evt_01kjr29tfxjvrqcw1fhk2jhrdv', '2026-03-18T09:40:00.000Z', {
    endpoint: SAMPLE_ENDPOINT,
    recovered_at: '2026-03-18T09:40:00.000Z',
    disabled_at: '2026-03-18T03:02:00.000Z',
    replaying: 418,
  }),
  'import.completed': envelope('import.completed', 'evt_01kkcrgk48f7wwt31g45cmfn5m', '2026-03-01T14:05:31.877Z', {
    import: {
      source: 'cli',
      file: 'spring-links.csv',
      rows: 1200,
      created: 1194,
      failed: 6,
      started_at: '2026-03-01T14:05:02.310Z',
      finished_at: '2026-03-01T14:05:31.877Z',
      qa: {
        redirects_checked: true,
        counts: { duplicate_destination: 2, missing_utm: 1, malformed_utm: 0, redirect_chain: 1, missing_slug: 0, slug_collision: 1, foreign_domain: 1 },
        findings: [
          { row: 14, kind: 'duplicate_destination', message: 'same destination as row 9', value: 'https://acme.example/sale' },
          { row: 9, kind: 'duplicate_destination', message: 'same destination as row 14', value: 'https://acme.example/sale' },
          { row: 22, kind: 'missing_utm', message: 'missing utm_medium', value: null },
          { row: 31, kind: 'redirect_chain', message: 'redirects 3 times before https://www.acme.example/en/sale', value: 'http://acme.example/sale-old' },
          { row: 40, kind: 'slug_collision', message: 'slug spring is already taken on go.acme.example', value: 'spring' },
          { row: 57, kind: 'foreign_domain', message: 'bit.ly is not a domain of this workspace', value: 'bit.ly' },
        ],
        truncated: false,
      },
    },
    actor: { type: 'cli', id: null, name: 'cli' },
  }),
} as const;

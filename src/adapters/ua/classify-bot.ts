import { isbot } from 'isbot';

// Which visits are not people. Two kinds are told apart because they mean
// different things to a marketer: a link-preview fetch ('preview') happens
// once per share in Slack, WhatsApp, iMessage... and says "this link was
// posted somewhere"; a crawler or HTTP library ('user-agent') says nothing
// about people at all.

/**
 * Link-preview (unfurl) fetchers, matched before isbot so they get their own
 * reason. Each pattern names the fetcher, not the app: the in-app browsers of
 * the same companies are humans and must not match ("[Pinterest/iOS]",
 * "FBAN/FBIOS", "Telegram-Android", "LinkedInApp", "Discord/" are people).
 */
const PREVIEW = new RegExp(
  [
    'slackbot', // Slackbot-LinkExpanding and plain Slackbot unfurls
    'slack-imgproxy',
    'facebookexternalhit', // Facebook, Instagram, Threads, and iMessage's "facebookexternalhit/1.1 Facebot Twitterbot/1.0"
    'facebot',
    'twitterbot',
    'linkedinbot',
    '^whatsapp/', // WhatsApp has no in-app browser; this is its preview fetch
    'telegrambot',
    'discordbot',
    'skypeuripreview', // Skype and Microsoft Teams
    'microsoftpreview', // Outlook and Bing previews
    'iframely',
    'embedly',
    'redditbot',
    'applebot',
    'pinterestbot',
    'pinterest/0\\.', // the crawler; the app says "[Pinterest/iOS]"
    'google-pagerenderer',
    'developers\\.google\\.com/\\+/web/snippet', // Google Chat/Hangouts snippet fetcher
    '^mastodon/', // fediverse servers fetch previews for every post that carries a link
    '^pleroma ',
    '^akkoma ',
    '^misskey/',
    '^gotosocial/',
    'friendica',
    'bluesky cardyb',
    'vkshare',
    'snap url preview',
    'yahoo link preview',
    'zoom link preview',
    'bitrix24 link preview',
    'xing-contenttabreceiver',
  ].join('|'),
  'i',
);

/** HTTP libraries isbot (5.x) does not list; a human never clicks with these. */
const EXTRA_CLIENTS = /^dart\/|\(dart:io\)/i;

export type BotReason = 'no-user-agent' | 'preview' | 'user-agent';

/** Why this user agent is not a person, or null when it looks like one. */
export function classifyBot(userAgent: string | null): BotReason | null {
  if (userAgent === null || userAgent.trim() === '') return 'no-user-agent';
  if (PREVIEW.test(userAgent)) return 'preview';
  if (isbot(userAgent) || EXTRA_CLIENTS.test(userAgent)) return 'user-agent';
  return null;
}

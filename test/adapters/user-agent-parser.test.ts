import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyBot } from '../../src/adapters/ua/classify-bot.ts';
import { createUserAgentParser } from '../../src/adapters/ua/create-user-agent-parser.ts';

// Real user agents as the respective clients send them.
const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  iphoneSafari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  androidTablet: 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  androidTabletUnnamed: 'Mozilla/5.0 (Linux; Android 13; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  androidPhone: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  samsungTv: 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  playstation: 'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  slackbot: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  facebook: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  curl: 'curl/8.5.0',
};

describe('createUserAgentParser', () => {
  const ua = createUserAgentParser();

  it('parses Chrome on Windows as a desktop human', () => {
    assert.deepEqual(ua.parse(UA.chromeWindows), {
      browser: 'Chrome',
      browserVersion: '124',
      os: 'Windows',
      deviceType: 'desktop',
      isBot: false,
      botReason: null,
    });
  });

  it('calls other desktop operating systems desktop', () => {
    assert.equal(ua.parse(UA.safariMac).deviceType, 'desktop');
    assert.equal(ua.parse(UA.safariMac).os, 'Mac OS');
    assert.equal(ua.parse(UA.firefoxLinux).deviceType, 'desktop');
    assert.equal(ua.parse(UA.firefoxLinux).browser, 'Firefox');
  });

  it('parses Safari on an iPhone as mobile', () => {
    assert.deepEqual(ua.parse(UA.iphoneSafari), {
      browser: 'Mobile Safari',
      browserVersion: '17',
      os: 'iOS',
      deviceType: 'mobile',
      isBot: false,
      botReason: null,
    });
  });

  it('tells Android tablets from Android phones', () => {
    assert.equal(ua.parse(UA.androidTablet).deviceType, 'tablet');
    assert.equal(ua.parse(UA.androidTablet).os, 'Android');
    assert.equal(ua.parse(UA.androidTabletUnnamed).deviceType, 'tablet');
    assert.equal(ua.parse(UA.androidPhone).deviceType, 'mobile');
  });

  it('maps smart TVs and consoles', () => {
    assert.equal(ua.parse(UA.samsungTv).deviceType, 'tv');
    assert.equal(ua.parse(UA.playstation).deviceType, 'console');
  });

  it('flags Googlebot as a crawler', () => {
    const info = ua.parse(UA.googlebot);
    assert.equal(info.isBot, true);
    assert.equal(info.botReason, 'user-agent');
    assert.equal(info.deviceType, 'bot');
  });

  it('flags Slackbot and facebookexternalhit as link-preview fetchers', () => {
    for (const agent of [UA.slackbot, UA.facebook]) {
      const info = ua.parse(agent);
      assert.equal(info.isBot, true, agent);
      assert.equal(info.botReason, 'preview', agent);
      assert.equal(info.deviceType, 'bot', agent);
    }
  });

  it('flags curl as a non-human client', () => {
    assert.deepEqual(ua.parse(UA.curl), { browser: null, browserVersion: null, os: null, deviceType: 'bot', isBot: true, botReason: 'user-agent' });
  });

  it('flags a missing or empty user agent', () => {
    for (const agent of [null, '', '   ']) {
      const info = ua.parse(agent);
      assert.equal(info.isBot, true);
      assert.equal(info.botReason, 'no-user-agent');
      assert.equal(info.deviceType, 'bot');
    }
  });

  it('returns the cached result for a repeated user agent, frozen so no caller can alter it', () => {
    const first = ua.parse(UA.chromeWindows);
    const second = ua.parse(UA.chromeWindows);
    assert.equal(second, first);
    assert.ok(Object.isFrozen(first));
  });
});

describe('user agent cache bounds', () => {
  it('evicts the least recently used entry once full', () => {
    const ua = createUserAgentParser({ cacheSize: 3 });
    const a = ua.parse(`${UA.chromeWindows} a`);
    ua.parse(`${UA.chromeWindows} b`);
    ua.parse(`${UA.chromeWindows} c`);
    ua.parse(`${UA.chromeWindows} a`); // touch a: b is now the oldest
    ua.parse(`${UA.chromeWindows} d`);
    assert.equal(ua.cacheSize, 3);
    assert.equal(ua.parse(`${UA.chromeWindows} a`), a, 'a survived');
  });

  it('holds at most 5,000 entries by default and does not cache oversized strings', () => {
    const ua = createUserAgentParser();
    for (let i = 0; i < 6_000; i++) ua.parse(`${UA.firefoxLinux} build/${i}`);
    assert.equal(ua.cacheSize, 5_000);
    const huge = `${UA.chromeWindows} ${'x'.repeat(4_000)}`;
    assert.equal(ua.parse(huge).browser, 'Chrome');
    assert.equal(ua.cacheSize, 5_000);
    assert.notEqual(ua.parse(huge), ua.parse(huge));
  });
});

describe('classifyBot', () => {
  it('calls every known link-preview fetcher a preview', () => {
    const previews = [
      'Slackbot 1.0 (+https://api.slack.com/robots)',
      'facebookexternalhit/1.1 Facebot Twitterbot/1.0',
      'Twitterbot/1.0',
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
      'WhatsApp/2.23.20.0 A',
      'TelegramBot (like TwitterBot)',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.110 Safari/537.36 MicrosoftPreview/2.0 +https://aka.ms/MicrosoftPreview',
      'Iframely/1.3.1 (+https://iframely.com/docs/about) Atlas/1.0',
      'Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
      'Pinterest/0.2 (+https://www.pinterest.com/bot.html)',
      'Mozilla/5.0 (compatible; Pinterestbot/1.0; +https://www.pinterest.com/bot.html)',
      'Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)',
      'Google-PageRenderer Google (+https://developers.google.com/+/web/snippet/)',
      'Mastodon/4.2.0 (http.rb/5.1.1; +https://mastodon.social/) Bot',
      'Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)',
    ];
    for (const agent of previews) assert.equal(classifyBot(agent), 'preview', agent);
  });

  it('calls crawlers and HTTP libraries user-agent bots', () => {
    const bots = ['Wget/1.21.4', 'python-requests/2.31.0', 'Go-http-client/1.1', 'okhttp/4.12.0', 'node-fetch/1.0', 'Dart/3.2 (dart:io)', UA.googlebot, UA.curl];
    for (const agent of bots) assert.equal(classifyBot(agent), 'user-agent', agent);
  });

  it('leaves in-app browsers of the same companies human', () => {
    const humans = [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/450.0]',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 Telegram-Android/10.0',
      UA.chromeWindows,
      UA.iphoneSafari,
    ];
    for (const agent of humans) assert.equal(classifyBot(agent), null, agent);
  });
});

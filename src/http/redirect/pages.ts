// The few HTML pages a visitor of a short link can see instead of a redirect.
// They are fixed strings rendered once at start: nothing from the request
// (slug, host, query) is ever echoed, so there is nothing to escape or inject.

export interface Page {
  status: number;
  body: Buffer;
}

function render(status: number, title: string, message: string): Page {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f6f7f9;color:#1f2328}
main{max-width:28rem;padding:2rem;text-align:center}
h1{font-size:1.5rem;margin:0 0 .75rem}
p{margin:0;color:#59636e;line-height:1.5}
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${message}</p>
</main>
</body>
</html>
`;
  return { status, body: Buffer.from(html, 'utf8') };
}

export const PAGES = {
  notFound: render(404, 'Link not found', 'There is no link at this address. Check that it was copied completely.'),
  // 410, not 404: the link existed and its owner set it to expire, which a
  // visitor (and a link checker) should be able to tell apart from a typo.
  expired: render(410, 'This link has expired', 'The owner of this link set it to stop working after a certain date.'),
  // A link switched off by a scheduled change: 410 as well, because the owner
  // removed it on purpose; it is answered with no-store like every page here,
  // so re-enabling the link takes effect on the next visit.
  disabled: render(410, 'This link is no longer active', 'The owner of this link has switched it off.'),
  unavailable: render(503, 'Temporarily unavailable', 'This link could not be followed right now. Please try again in a moment.'),
  landing: render(200, 'linkhook', 'This address serves short links. Open a short link to be redirected.'),
} as const satisfies Record<string, Page>;

"""The payload shapes a RawItem can carry; the normalizer picks its parser by these."""

TWEET = "application/vnd.dengar.x-tweet+json"  # {"data": tweet, "includes": {...}}
INSTAGRAM_POST = "application/vnd.instaloader.post+json"  # instaloader's {"node": ..., "instaloader": ...}
INSTAGRAM_COMMENT = "application/vnd.dengar.instagram-comment+json"  # {"comment": ..., "post": {...}}
EMAIL = "message/rfc822"  # the message bytes as received
FEED_ENTRY = "application/vnd.dengar.feed-entry+json"  # {"feed": {...}, "entry": feedparser entry}
JSON_FEED_ITEM = "application/vnd.dengar.jsonfeed-item+json"  # {"feed": {...}, "item": ...}
OPEN311_REQUEST = "application/vnd.dengar.open311-request+json"  # one GeoReport v2 request object
QLUE_REPORT = "application/vnd.dengar.qlue-report+json"  # one report object as in the feed
UNREADABLE = "application/octet-stream"  # a part of an archive no parser could split; quarantined

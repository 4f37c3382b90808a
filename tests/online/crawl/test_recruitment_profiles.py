"""The recruitment sources: a Telegram channel preview and a public forum, as profiles."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from ketenzicht.online.collection import profiles

# Synthetic pages in the public markup of the two sites (no real channel or forum).
TELEGRAM_LIST = """<html><body>
<div class="tgme_widget_message" data-post="kanaal/41">
<div class="tgme_widget_message_text">Snel geld
</div><a class="tgme_widget_message_date" href="https://t.me/kanaal/41">
<time datetime="2026-11-02T10:00:00+00:00">10:00</time></a></div>
<a class="tme_messages_more" href="/s/kanaal?before=41">more</a></body></html>"""
TELEGRAM_POST = """<html><body><div class="tgme_widget_message">
<div class="tgme_widget_message_owner_name"><span>Kanaal</span></div>
<div class="tgme_widget_message_text">Wil je snel geld verdienen? <b>DM</b></div>
<a class="tgme_widget_message_date" href="https://t.me/kanaal/41">
<time datetime="2026-11-02T10:00:00+00:00">10:00</time></a>
</div></body></html>"""
FORUM_TOPIC = """<html><body><div id="topic-title"><h1><a href="/t/1">Bijbaan?</a></h1></div>
<div id="post_1"><div class="post" itemprop="text"><p>Runner gezocht, vanaf 15</p></div>
<time datetime="2026-11-03T09:00:00Z">3 nov</time></div>
<div id="post_2"><div class="post" itemprop="text"><p>ik ben 14, mag ik ook?</p></div></div>
</body></html>"""


def _page(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode(), encoding="utf-8")


def test_the_profiles_load_as_recruitment_sources_that_are_never_scheduled() -> None:
    for name in ("telegram-preview", "public-forum"):
        profile = profiles.load(name)
        assert profile.purpose == "recruitment" and not profile.scheduled
        assert profiles.purpose_of(name) == "recruitment"
    assert profiles.purpose_of("demo") == "ads"


def test_telegram_selectors_read_the_posts_and_their_embed_view() -> None:
    p = profiles.load("telegram-preview")
    listing = _page("https://t.me/s/kanaal", TELEGRAM_LIST)
    assert listing.css(p.listing.ad_links).getall() == ["https://t.me/kanaal/41"]
    assert listing.css(p.listing.next_page or "").get() == "/s/kanaal?before=41"
    assert p.listing.ad_url_suffix == "?embed=1"
    post = _page("https://t.me/kanaal/41?embed=1", TELEGRAM_POST)
    text = " ".join(post.css(p.ad.text.split(", ")[0]).getall())
    assert "snel geld" in text and "DM" in text
    assert post.css(p.ad.posted_at or "").get() == "2026-11-02T10:00:00+00:00"


def test_the_forum_profile_reads_the_opening_post_and_never_the_replies() -> None:
    p = profiles.load("public-forum")
    topic = _page("https://forum.example/t/1", FORUM_TOPIC)
    text = " ".join(topic.css(p.ad.text.split(", ")[0]).getall())
    assert "Runner gezocht" in text and "ik ben 14" not in text

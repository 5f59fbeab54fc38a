"""Instagram's web and iPhone API as instaloader 4.16 calls them, answered through ``responses``.

instaloader's hosts are hard-coded and it opens new ``requests.Session`` s on its own, so the network
is faked at the HTTP level: instaloader's own code builds every request and parses every answer.
The posts served are the bundled sample posts (real instaloader GraphQL nodes) and new posts made
from them; the logged-in profile feed serves them in the iPhone media shape that the web app's
``api/graphql`` timeline query answers with, the hashtag feed as GraphQL nodes, comments from the
sample ``*_comments.json`` in either the GraphQL or the iPhone comments shape (instaloader picks by
count). Each endpoint is a handful of lines so a wrong guess about the wire format shows as a
failing instaloader call, not as a silently passing test.
"""

from __future__ import annotations

import copy
import json
import lzma
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import responses
from instaloader import Post

WWW = "https://www.instagram.com"
IPHONE = "https://i.instagram.com"
TIMELINE_DOC = "29104886249145907"
LOGGED_OUT_TIMELINE_DOC = "28904005159232689"
PROFILE_DOC = "27937681195819736"
POST_DOC = "27128499623469141"
HASHTAG_QUERY = "9b498c08113f1e09617a1703c22b2f32"
COMMENTS_QUERY = "97b41c52301f77ce508f55e66d17620e"
PLEASE_WAIT = {"message": "Please wait a few minutes before you try again.", "require_login": True, "status": "fail"}
CHECKPOINT = {"message": "checkpoint_required", "checkpoint_url": "/challenge/AXH1/", "lock": True, "status": "fail"}

Reply = tuple[int, dict[str, str], str]


def load_node(path: Path) -> dict[str, Any]:
    raw = lzma.decompress(path.read_bytes()) if path.name.endswith(".xz") else path.read_bytes()
    return json.loads(raw)["node"]


def iphone_media(node: dict[str, Any], comment_count: int) -> dict[str, Any]:
    """A GraphQL post node in the iPhone media shape (``xdt_api__v1__feed__user_timeline_graphql_connection``)."""
    owner = node["owner"]
    caption_edges = node.get("edge_media_to_caption", {}).get("edges") or []
    caption = caption_edges[0]["node"]["text"] if caption_edges else None
    media_type = {"GraphImage": 1, "GraphVideo": 2, "GraphSidecar": 8}[node.get("__typename", "GraphImage")]
    return {
        "pk": node["id"], "id": f"{node['id']}_{owner['id']}", "code": node["shortcode"],
        "media_type": media_type, "taken_at": node["taken_at_timestamp"],
        "caption": {"pk": str(int(node["id"]) + 1), "text": caption} if caption is not None else None,
        "has_liked": bool(node.get("viewer_has_liked")), "like_count": node["edge_media_preview_like"]["count"],
        "comment_count": comment_count, "accessibility_caption": node.get("accessibility_caption"),
        "user": {"pk": owner["id"], "username": owner["username"], "full_name": owner.get("full_name", ""),
                 "is_private": False, "profile_pic_url": f"https://scontent.cdninstagram.com/{owner['id']}.jpg"},
        "image_versions2": {"candidates": [{"url": node["display_url"], **node.get("dimensions", {})}]},
    }


def graphql_comment(comment: dict[str, Any]) -> dict[str, Any]:
    """A saved comment (``*_comments.json`` entry) as the GraphQL comment node it was saved from."""
    answers = [graphql_comment(answer) for answer in comment.get("answers", [])]
    return {"id": str(comment["id"]), "created_at": comment["created_at"], "text": comment["text"],
            "owner": comment["owner"], "edge_liked_by": {"count": comment.get("likes_count", 0)},
            "edge_threaded_comments": {"count": len(answers), "edges": [{"node": a} for a in answers],
                                       "page_info": {"has_next_page": False, "end_cursor": None}}}


def iphone_comment(comment: dict[str, Any]) -> dict[str, Any]:
    owner = comment["owner"]
    answers = [iphone_comment(answer) for answer in comment.get("answers", [])]
    return {"pk": str(comment["id"]), "created_at": comment["created_at"], "text": comment["text"],
            "user": {"pk": owner["id"], "username": owner["username"], "full_name": owner.get("full_name", ""),
                     "is_private": False, "profile_pic_url": owner.get("profile_pic_url", "")},
            "comment_like_count": comment.get("likes_count", 0), "child_comment_count": len(answers),
            "preview_child_comments": answers}


@dataclass
class FakeProfile:
    username: str
    pk: str
    posts: list[dict[str, Any]] = field(default_factory=list)  # GraphQL nodes, newest first
    private: bool = False


@dataclass
class Fault:
    status: int
    body: dict[str, Any] | str
    paged_only: bool = False  # only requests for a page after the first
    headers: dict[str, str] = field(default_factory=dict)


class FakeInstagram:
    """The posts, comments and fault switches behind the faked endpoints."""

    def __init__(self, page_size: int = 12) -> None:
        self.page_size = page_size
        self.profiles: dict[str, FakeProfile] = {}
        self.hashtags: dict[str, list[dict[str, Any]]] = {}
        self.comments: dict[str, list[dict[str, Any]]] = {}  # shortcode -> saved comments
        self.fault: Fault | None = None
        self.requests: list[str] = []
        self.threads: set[str] = set()  # where instaloader's requests were made
        self._next_id = 3500000000000000000

    # -- content ----------------------------------------------------------------------------------

    def add_profile(self, username: str, pk: str, private: bool = False) -> FakeProfile:
        self.profiles[username] = FakeProfile(username, pk, private=private)
        return self.profiles[username]

    def new_post(self, template: dict[str, Any], owner: dict[str, Any], taken_at: int, caption: str) -> dict[str, Any]:
        """A new post made from a sample node: its own id, shortcode, owner, time and caption."""
        node = copy.deepcopy(template)
        self._next_id += 1
        node["id"] = str(self._next_id)
        node["shortcode"] = Post.mediaid_to_shortcode(self._next_id)
        node["owner"] = dict(owner)
        node["taken_at_timestamp"] = taken_at
        node["edge_media_to_caption"] = {"edges": [{"node": {"text": caption}}]}
        node["edge_media_to_comment"] = {"count": 0}
        return node

    # -- wiring -----------------------------------------------------------------------------------

    def register(self, mock: responses.RequestsMock) -> None:
        routes: list[tuple[str, str, Callable[[Any], Reply]]] = [
            ("GET", rf"^{WWW}/$", self._start_page),
            ("GET", rf"^{WWW}/([A-Za-z0-9._]+)/$", self._profile_page),
            ("POST", rf"^{WWW}/graphql/query/?$", self._doc_query),
            ("POST", rf"^{WWW}/api/graphql/?$", self._web_api_query),
            ("GET", rf"^{WWW}/graphql/query/?\?", self._hash_query),
            ("GET", rf"^{IPHONE}/api/v1/tags/web_info/", self._hashtag_info),
            ("GET", rf"^{IPHONE}/api/v1/media/(\d+)/comments/", self._iphone_comments),
        ]
        for method, pattern, handler in routes:
            mock.add_callback(method, re.compile(pattern), callback=self._guarded(handler))

    def _guarded(self, handler: Callable[[Any], Reply]) -> Callable[[Any], Reply]:
        def reply(request: Any) -> Reply:
            doc_id = self._params(request).get("doc_id")
            self.requests.append(f"{request.method} {request.url}" + (f" doc_id={doc_id}" if doc_id else ""))
            self.threads.add(threading.current_thread().name)
            fault = self.fault
            if fault is not None and (not fault.paged_only or self._is_next_page(request)):
                body = fault.body if isinstance(fault.body, str) else json.dumps(fault.body)
                content_type = "text/html" if isinstance(fault.body, str) else "application/json"
                return fault.status, {"Content-Type": content_type, **fault.headers}, body
            return handler(request)
        return reply

    @staticmethod
    def _params(request: Any) -> dict[str, str]:
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        if request.body:
            body = request.body.decode() if isinstance(request.body, bytes) else request.body
            query.update({k: v[0] for k, v in parse_qs(body).items()})
        return query

    def _is_next_page(self, request: Any) -> bool:
        params = self._params(request)
        variables = json.loads(params.get("variables", "{}"))
        return bool(variables.get("after"))

    @staticmethod
    def _json(payload: Any, status: int = 200) -> Reply:
        return status, {"Content-Type": "application/json"}, json.dumps(payload)

    # -- www.instagram.com pages --------------------------------------------------------------------

    def _start_page(self, request: Any) -> Reply:
        html = ('<html><script>requireLazy(["DTSGInitialData",[],{"token":"dtsg-token"}],'
                '["LSD",[],{"token":"lsd-token"}]);{"IG_USER_EIMU":"17841400000000001"}</script></html>')
        return 200, {"Content-Type": "text/html", "Set-Cookie": "csrftoken=page-csrf; Path=/"}, html

    def _profile_page(self, request: Any) -> Reply:
        username = urlsplit(request.url).path.strip("/")
        profile = self.profiles.get(username)
        if profile is None:
            return 404, {"Content-Type": "text/html"}, "<html>Sorry, this page isn't available.</html>"
        user = {"pk": profile.pk, "id": f"page-{profile.pk}", "username": profile.username,
                "full_name": profile.username, "is_private": profile.private, "all_media_count": len(profile.posts)}
        # the logged-out page embeds two queries: the profile's details, and its first posts (codes only)
        page, info = self._page([] if profile.private else profile.posts, None)
        timeline = {**user, "polaris_ordered_timeline_connection": {
            "edges": [{"node": {"code": node["shortcode"], "pk": node["id"]}} for node in page], "page_info": info}}
        embedded = {"require": [["ScheduledServerJS", "handle", None, [
            {"__bbox": {"result": {"data": {"xig_user_by_username": user}}}},
            {"__bbox": {"result": {"data": {"xig_user_by_username": timeline}}}}]]]}
        html = f'<html><script type="application/json" data-sjs>{json.dumps(embedded)}</script></html>'
        return 200, {"Content-Type": "text/html"}, html

    # -- GraphQL ------------------------------------------------------------------------------------

    def _doc_query(self, request: Any) -> Reply:
        params = self._params(request)
        variables = json.loads(params["variables"])
        if params["doc_id"] == PROFILE_DOC:
            profile = next((p for p in self.profiles.values() if p.pk == variables["id"]), None)
            if profile is None:
                return self._json({"data": {"user": None}, "status": "ok"})
            return self._json({"data": {"user": {
                "pk": profile.pk, "id": profile.pk, "username": profile.username, "full_name": profile.username,
                "is_private": profile.private, "media_count": len(profile.posts),
                "friendship_status": {"following": False, "followed_by": False}}}, "status": "ok"})
        if params["doc_id"] == POST_DOC:
            node = self._find_post(variables["shortcode"])
            items = [iphone_media(node, len(self._all_comments(node["shortcode"])))] if node else []
            return self._json({"data": {"xdt_api__v1__media__shortcode__web_info": {"items": items}},
                               "status": "ok"})
        return self._json({"message": f"unknown doc_id {params['doc_id']}", "status": "fail"}, 400)

    def _web_api_query(self, request: Any) -> Reply:
        params = self._params(request)
        if params.get("lsd") != "lsd-token":
            return self._json({"errors": [{"message": "api/graphql request without the page's lsd token"}]}, 400)
        variables = json.loads(params["variables"])
        if params.get("doc_id") == POST_DOC:  # the logged-out web app asks for a post here
            return self._doc_query(request)
        if params.get("doc_id") == LOGGED_OUT_TIMELINE_DOC:
            profile = next((p for p in self.profiles.values() if f"page-{p.pk}" == variables["id"]), None)
            page, info = self._page(profile.posts if profile else [], variables.get("after"))
            return self._json({"data": {"node": {"polaris_ordered_timeline_connection": {
                "edges": [{"node": {"code": node["shortcode"], "pk": node["id"]}} for node in page],
                "page_info": info}}}})
        if params.get("doc_id") != TIMELINE_DOC:
            return self._json({"errors": [{"message": "unexpected api/graphql request"}]}, 400)
        profile = self.profiles.get(variables["username"])
        posts = profile.posts if profile else []
        page, info = self._page(posts, variables.get("after"))
        # a node holding "served_as" is sent verbatim (a malformed post inside a good page)
        edges = [{"node": node["served_as"] if "served_as" in node
                  else iphone_media(node, len(self._all_comments(node["shortcode"]))), "cursor": node["id"]}
                 for node in page]
        return self._json({"data": {"xdt_api__v1__feed__user_timeline_graphql_connection": {
            "edges": edges, "page_info": info}}, "extensions": {"is_final": True}})

    def _hash_query(self, request: Any) -> Reply:
        params = self._params(request)
        variables = json.loads(params["variables"])
        if params["query_hash"] == HASHTAG_QUERY:
            posts = self.hashtags.get(variables["tag_name"], [])
            page, info = self._page(posts, variables.get("after"), variables.get("first"))
            return self._json({"data": {"hashtag": {"name": variables["tag_name"], "edge_hashtag_to_media": {
                "count": len(posts), "page_info": info, "edges": [{"node": n} for n in page]}}}, "status": "ok"})
        if params["query_hash"] == COMMENTS_QUERY:
            comments = self._all_comments(variables["shortcode"])
            nodes = [graphql_comment(c) for c in comments]
            page, info = self._page(nodes, variables.get("after"), variables.get("first"), key="id")
            return self._json({"data": {"shortcode_media": {"edge_media_to_parent_comment": {
                "count": len(nodes), "page_info": info, "edges": [{"node": n} for n in page]}}}, "status": "ok"})
        return self._json({"message": "unknown query_hash", "status": "fail"}, 400)

    # -- i.instagram.com ---------------------------------------------------------------------------

    def _hashtag_info(self, request: Any) -> Reply:
        name = self._params(request)["tag_name"]
        if name not in self.hashtags:
            return self._json({"message": "Page not found", "status": "fail"}, 404)
        return self._json({"graphql": {"hashtag": {"id": str(abs(hash(name)) % 10**17), "name": name,
                                                   "media_count": len(self.hashtags[name])}}, "status": "ok"})

    def _iphone_comments(self, request: Any) -> Reply:
        media_id = urlsplit(request.url).path.split("/")[4]
        node = next((n for n in self._every_post() if n["id"] == media_id), None)
        comments = [iphone_comment(c) for c in self._all_comments(node["shortcode"])] if node else []
        start = int(self._params(request).get("min_id") or 0)
        page = comments[start:start + self.page_size]
        more = start + self.page_size < len(comments)
        return self._json({"comments": page, "comment_count": len(comments),
                           "next_min_id": str(start + self.page_size) if more else None, "status": "ok"})

    # -- helpers -----------------------------------------------------------------------------------

    def _page(self, items: list[dict[str, Any]], after: str | None, first: int | None = None,
              key: str = "id") -> tuple[list[dict[str, Any]], dict[str, Any]]:
        start = 0
        if after:
            start = next((i + 1 for i, item in enumerate(items) if str(item[key]) == after), len(items))
        size = min(first or self.page_size, self.page_size)
        page = items[start:start + size]
        more = start + size < len(items)
        return page, {"has_next_page": more, "end_cursor": str(page[-1][key]) if page and more else None}

    def _every_post(self) -> list[dict[str, Any]]:
        posts = [n for p in self.profiles.values() for n in p.posts]
        return posts + [n for nodes in self.hashtags.values() for n in nodes]

    def _find_post(self, shortcode: str) -> dict[str, Any] | None:
        return next((n for n in self._every_post() if n["shortcode"] == shortcode), None)

    def _all_comments(self, shortcode: str) -> list[dict[str, Any]]:
        return self.comments.get(shortcode, [])

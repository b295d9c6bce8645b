"""EutilsClient: request building (patched transport), the fault matrix against the loopback
fake server, cache/offline/refresh, rate limiting with an injected clock, and hygiene (Bio.Entrez
globals restored, API key never shown, no host but loopback ever contacted)."""

from __future__ import annotations

import email.message
import email.utils
import io
import itertools
import logging
import threading
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from Bio import Entrez

from pipelines.pubmed.cache import Request, ResponseCache
from pipelines.pubmed.client import (
    INTERVAL_NO_KEY,
    INTERVAL_WITH_KEY,
    NCBI_EUTILS_URL,
    Citation,
    EutilsBadResponse,
    EutilsClient,
    EutilsConnectionError,
    EutilsError,
    EutilsHTTPError,
    EutilsRefused,
    EutilsTimeout,
    OfflineMiss,
    RateLimiter,
)

from .conftest import ClientFactory, FakeClock
from .fake_eutils import FAULT_KINDS, FakeEutils, FaultKind, synthetic_article

E: Any = Entrez
SECRET_KEY = "0123456789abcdef-secret-key"


def add_synthetic(fake: FakeEutils, *pmids: int) -> None:
    for pmid in pmids:
        fake.add_article(synthetic_article(str(pmid)))


def entrez_globals() -> dict[str, Any]:
    names = ("email", "api_key", "tool", "max_tries", "sleep_between_tries", "local_cache")
    hooks = ("_build_request", "urlopen", "time", "_open")
    return {name: getattr(E, name) for name in (*names, *hooks)}


# ---------------------------------------------------------------------------------------------
# Request building with a patched transport (no server at all)


class _Response(io.BytesIO):
    def __init__(self, body: bytes, content_type: str, url: str) -> None:
        super().__init__(body)
        self.headers = email.message.Message()
        self.headers["Content-Type"] = content_type
        self.url = url


class RecordingOpener:
    """Stands in for urllib's opener: records each request, answers with canned bytes."""

    def __init__(self, body: bytes, content_type: str = "text/xml") -> None:
        self.body = body
        self.content_type = content_type
        self.sent: list[urllib.request.Request] = []
        self.timeouts: list[float | None] = []

    def open(self, request: urllib.request.Request, timeout: float | None = None) -> _Response:
        self.sent.append(request)
        self.timeouts.append(timeout)
        return _Response(self.body, self.content_type, request.full_url)

    def params(self, index: int) -> dict[str, str]:
        request = self.sent[index]
        query = (
            request.data.decode() if request.data else urlsplit(request.full_url).query  # type: ignore[union-attr]
        )
        return {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}


def offline_transport_client(
    clock: FakeClock, opener: RecordingOpener, **options: Any
) -> EutilsClient:
    settings: dict[str, Any] = {
        "email": "tests@example.org",
        "base_url": "http://127.0.0.1:9/mirror/eutils",
        "idconv_url": "http://127.0.0.1:9/idconv/",
        "timeout": 4.5,
        "rate_limiter": RateLimiter(clock.time, clock.sleep),
        "sleep": clock.sleep,
        "clock": clock.time,
    }
    settings.update(options)
    client = EutilsClient(**settings)
    client._opener = opener  # type: ignore[assignment]
    return client


EMPTY_SET = b'<?xml version="1.0"?>\n<PubmedArticleSet></PubmedArticleSet>\n'


def test_efetch_batches_of_200_post_for_long_lists(clock: FakeClock) -> None:
    opener = RecordingOpener(EMPTY_SET)
    client = offline_transport_client(clock, opener)
    pmids = [str(n) for n in range(1000, 1250)] + ["1000", " 1001 "]  # duplicates dropped
    bodies = list(client.fetch_xml(pmids))
    assert len(bodies) == 2
    first, second = opener.sent
    assert first.full_url == "http://127.0.0.1:9/mirror/eutils/efetch.fcgi"
    assert first.get_method() == "POST"
    assert second.get_method() == "GET"
    assert second.full_url.startswith("http://127.0.0.1:9/mirror/eutils/efetch.fcgi?")
    params = opener.params(0)
    assert params["id"].split(",") == [str(n) for n in range(1000, 1200)]
    assert opener.params(1)["id"].split(",") == [str(n) for n in range(1200, 1250)]
    assert params["db"] == "pubmed"
    assert params["rettype"] == "xml"
    assert params["retmode"] == "xml"
    assert params["tool"] == "litkg"
    assert params["email"] == "tests@example.org"
    assert "api_key" not in params
    assert opener.timeouts == [4.5, 4.5]


def test_identity_passed_per_request_and_globals_untouched(clock: FakeClock) -> None:
    E.email = "someone-else@example.org"
    E.api_key = "their-key"
    try:
        before = entrez_globals()
        opener = RecordingOpener(EMPTY_SET)
        client = offline_transport_client(clock, opener, api_key=SECRET_KEY, tool="litkg-test")
        list(client.fetch_xml(["1"]))
        params = opener.params(0)
        assert params["api_key"] == SECRET_KEY
        assert params["email"] == "tests@example.org"
        assert params["tool"] == "litkg-test"
        assert entrez_globals() == before
    finally:
        E.email = None
        E.api_key = None


def test_no_email_sends_none_not_bio_global(clock: FakeClock) -> None:
    E.email = "global@example.org"
    try:
        opener = RecordingOpener(EMPTY_SET)
        client = offline_transport_client(clock, opener, email=None)
        with pytest.warns(UserWarning, match="Email address is not specified"):
            list(client.fetch_xml(["1"]))
        assert "email" not in opener.params(0)
    finally:
        E.email = None


def test_ecitmatch_request_keeps_pipes(clock: FakeClock) -> None:
    line = "proc natl acad sci u s a|1991|88|3248|mann bj|citation_1|"
    opener = RecordingOpener((line + "2014248\n").encode(), "text/plain")
    client = offline_transport_client(clock, opener)
    matches = client.ecitmatch(
        [Citation("proc natl acad sci u s a", "1991", "88", "3248", "mann bj", "citation_1")]
    )
    assert matches[0].status == "found"
    assert matches[0].pmid == "2014248"
    request = opener.sent[0]
    assert "ecitmatch.cgi?" in request.full_url
    assert (
        "|1991|88|3248|mann%20bj|citation_1|" in request.full_url
        or "|1991|88|3248|mann+bj|citation_1|" in request.full_url
    )
    assert opener.params(0)["bdata"] == line


def test_citation_fields_cannot_break_the_format() -> None:
    cite = Citation("j|x", "1991", "8\n8", "1", "a", "k|1")
    assert cite.bdata() == "j x|1991|8 8|1|a|k 1|"


def test_idconv_goes_to_its_own_host(clock: FakeClock) -> None:
    body = b'{"status": "ok", "records": [{"requested-id": "PMC1", "pmid": "5", "pmcid": "PMC1"}]}'
    opener = RecordingOpener(body, "application/json")
    client = offline_transport_client(clock, opener, api_key=SECRET_KEY)
    records = client.convert_ids(["PMC1"])
    assert records["PMC1"].pmid == "5"
    url = opener.sent[0].full_url
    assert url.startswith("http://127.0.0.1:9/idconv/?")
    params = opener.params(0)
    assert params["ids"] == "PMC1"
    assert params["format"] == "json"
    assert "api_key" not in params  # the key is for E-utilities only


def test_bad_ids_are_refused_before_any_request(clock: FakeClock) -> None:
    opener = RecordingOpener(EMPTY_SET)
    client = offline_transport_client(clock, opener)
    with pytest.raises(ValueError, match="not a PMID"):
        list(client.fetch_xml(["12", "abc"]))
    with pytest.raises(ValueError, match="not a PMID, PMCID or DOI"):
        client.convert_ids(["what"])
    assert opener.sent == []


# ---------------------------------------------------------------------------------------------
# Against the fake server: real records


def test_fetch_papers_from_real_records(
    shared_fake: FakeEutils, make_client: ClientFactory
) -> None:
    client = make_client(shared_fake)
    stream = client.fetch_papers(["31394007", "21197107", "29768149", "99999999"])
    papers = {p.pmid: p for p in stream}
    assert set(papers) == {"31394007", "21197107", "29768149"}
    assert papers["21197107"].doi == "10.4061/2011/164608"
    assert stream.missing == ["99999999"]


def test_missing_pmids_are_reported_and_logged(
    fake: FakeEutils, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    add_synthetic(fake, 1, 2, 3)
    stream = make_client(fake).fetch_papers([4, 3, 2, 1])
    with caplog.at_level(logging.WARNING):
        assert [p.pmid for p in stream] == ["1", "2", "3"]
    assert stream.missing == ["4"]
    assert "[pmid:4] not returned by EFetch" in caplog.text


def test_large_fetch_batches(fake: FakeEutils, make_client: ClientFactory) -> None:
    fake.synthesize = True
    papers = list(make_client(fake).fetch_papers(range(1, 451)))
    assert len(papers) == 450
    seen = fake.seen("efetch")
    assert [len(s.ids) for s in seen] == [200, 200, 50]
    assert [s.method for s in seen] == ["POST", "POST", "GET"]


def test_search_pages_through_the_history_server(
    fake: FakeEutils, make_client: ClientFactory
) -> None:
    ids = [str(n) for n in range(100, 125)]
    fake.add_search('"multiple sclerosis"[mh] AND "stem cells"[mh]', ids)
    client = make_client(fake, search_page_size=10)
    assert client.search('"multiple sclerosis"[mh] AND "stem cells"[mh]') == ids
    seen = fake.seen("esearch")
    assert [s.params["retstart"] for s in seen] == ["0", "10", "20"]
    assert all(s.params["usehistory"] == "y" for s in seen)
    assert "WebEnv" not in seen[0].params
    assert seen[1].params["WebEnv"] == seen[2].params["WebEnv"] == "MCID_fake1"
    assert seen[1].params["query_key"] == "1"
    assert client.search('"multiple sclerosis"[mh] AND "stem cells"[mh]', retmax=12) == ids[:12]


def test_search_real_recorded_answers(shared_fake: FakeEutils, make_client: ClientFactory) -> None:
    client = make_client(shared_fake)
    assert client.search("stem cells AND hasabstract") == [
        "6540636",
        "5830998",
        "4460425",
        "4466840",
        "3443459",
    ]
    assert client.search("abcXYZ") == []  # a real "no results", not a failure


def test_elink_real_recorded(shared_fake: FakeEutils, make_client: ClientFactory) -> None:
    client = make_client(shared_fake)
    refs = client.elink_references("9298984")
    cited = client.elink_cited_by("9298984")
    assert refs[:3] == ["14732139", "8909532", "8898221"]
    assert len(refs) == len(set(refs)) > 10
    assert cited
    assert "9298984" not in cited
    assert [s.params["linkname"] for s in shared_fake.seen("elink")] == [
        "pubmed_pubmed_refs",
        "pubmed_pubmed_citedin",
    ]


def test_elink_written_links(fake: FakeEutils, make_client: ClientFactory) -> None:
    fake.add_links("5", "pubmed_pubmed_refs", ["1", "2"])
    client = make_client(fake)
    assert client.elink_references(5) == ["1", "2"]
    assert client.elink_cited_by(5) == []


def test_ecitmatch_real_example(shared_fake: FakeEutils, make_client: ClientFactory) -> None:
    shared_fake.add_citation("j tests|2001|1|10|doe j|x|", "AMBIGUOUS (2 citations)")
    cites = [
        Citation("proc natl acad sci u s a", "1991", "88", "3248", "mann bj", "citation_1"),
        Citation("nowhere", "1999", "1", "1", "nobody", "k2"),
        Citation("j tests", "2001", "1", "10", "doe j", "x"),
    ]
    matches = make_client(shared_fake).ecitmatch(cites)
    assert [(m.status, m.pmid) for m in matches] == [
        ("found", "2014248"),
        ("not_found", None),
        ("ambiguous", None),
    ]
    assert matches[2].detail == "AMBIGUOUS (2 citations)"


def test_convert_ids_all_directions(shared_fake: FakeEutils, make_client: ClientFactory) -> None:
    records = make_client(shared_fake).convert_ids(
        ["31394007", "doi:10.4061/2011/164608", "PMC3010615", "10.1056/NEJMoa1715274", "1"]
    )
    assert records["31394007"].doi == "10.1111/cei.13358"
    assert records["31394007"].pmcid == "PMC6857075"
    assert records["doi:10.4061/2011/164608"].pmid == "21197107"
    assert records["PMC3010615"].doi == "10.4061/2011/164608"
    # Not in PMC: the converter does not know it, ESearch's [doi] tag does.
    fallback = records["10.1056/NEJMoa1715274"]
    assert (fallback.pmid, fallback.source) == ("29768149", "esearch")
    assert not records["1"].found
    terms = [s.params["term"] for s in shared_fake.seen("esearch")]
    assert terms == ['"10.1056/NEJMoa1715274"[doi]']


def test_convert_pmcid_fallback_via_pmc_tag(fake: FakeEutils, make_client: ClientFactory) -> None:
    fake.add_article(
        b"<PubmedArticle><MedlineCitation><PMID>77</PMID><Article><ArticleTitle>T</ArticleTitle>"
        b'</Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pmc">'
        b'PMC900</ArticleId><ArticleId IdType="doi">10.1/x</ArticleId></ArticleIdList>'
        b"</PubmedData></PubmedArticle>"
    )
    fake.idconv.clear()  # as if the converter were behind
    record = make_client(fake).convert_ids(["pmc900"])["pmc900"]
    assert (record.pmid, record.pmcid, record.doi) == ("77", "PMC900", "10.1/x")
    assert fake.seen("esearch")[0].params["term"] == "PMC900[pmc]"


def test_einfo(shared_fake: FakeEutils, make_client: ClientFactory) -> None:
    client = make_client(shared_fake)
    assert b"<DbName>pubmed</DbName>" in client.einfo()
    assert b"<MenuName>PubMed</MenuName>" in client.einfo("pubmed")


# ---------------------------------------------------------------------------------------------
# The fault matrix


EXPECTED: dict[FaultKind, tuple[type[EutilsError], bool, str]] = {
    "429": (EutilsHTTPError, True, "HTTP 429"),
    "500": (EutilsHTTPError, True, "HTTP 500"),
    "502": (EutilsHTTPError, True, "HTTP 502"),
    "503": (EutilsHTTPError, True, "HTTP 503"),
    "slow": (EutilsTimeout, True, "no answer within"),
    "html": (EutilsBadResponse, True, "HTML page"),
    "error": (EutilsBadResponse, True, "<ERROR>: Search Backend failed"),
    "truncated": (EutilsBadResponse, True, "truncated XML"),
    "disconnect": (EutilsConnectionError, True, "connection closed mid-response"),
    "malformed": (EutilsBadResponse, True, "malformed XML"),
    "entity_bomb": (EutilsBadResponse, False, "declares its own DTD"),
    "external_entity": (EutilsBadResponse, False, "declares its own DTD"),
    "foreign_doctype": (EutilsBadResponse, False, "DOCTYPE names a DTD outside NCBI"),
}


def _call(client: EutilsClient, endpoint: str) -> object:
    if endpoint == "efetch":
        return [p.pmid for p in client.fetch_papers(["1", "2"])]
    if endpoint == "esearch":
        return client.search("q")
    if endpoint == "elink":
        return client.elink_references("1")
    if endpoint == "idconv":
        return {k: v.pmcid for k, v in client.convert_ids(["1"]).items()}
    return [m.pmid for m in client.ecitmatch([Citation("j", "2000", "1", "1", "a", "k")])]


def _populate(fake: FakeEutils) -> None:
    add_synthetic(fake, 1, 2)
    fake.add_search("q", ["1", "2"])
    fake.add_links("1", "pubmed_pubmed_refs", ["2"])
    fake.add_ids("1", pmcid="PMC11")
    fake.add_citation("j|2000|1|1|a|k|", "1")


GOOD = {
    "efetch": ["1", "2"],
    "esearch": ["1", "2"],
    "elink": ["2"],
    "idconv": {"1": "PMC11"},
    "ecitmatch": ["1"],
}


@pytest.mark.parametrize("kind", FAULT_KINDS)
@pytest.mark.parametrize("endpoint", ["efetch", "esearch"])
def test_fault_matrix_xml(
    kind: FaultKind,
    endpoint: str,
    fake: FakeEutils,
    make_client: ClientFactory,
    cache: ResponseCache,
    no_network: list[str],
) -> None:
    _populate(fake)
    client = make_client(fake, cache=cache, timeout=0.25, max_retries=2)
    error_type, transient, reason = EXPECTED[kind]
    fake.fail(endpoint, kind, times=3, delay=1.0)
    started = time.monotonic()
    with pytest.raises(error_type) as info:
        _call(client, endpoint)
    assert time.monotonic() - started < 5  # no hang
    error = info.value
    assert error.transient is transient
    assert reason in error.reason
    assert error.request.startswith(endpoint + "?")
    assert len(fake.seen(endpoint)) == (3 if transient else 1)  # only transient ones retried
    assert cache.stats().entries == 0  # nothing bad cached
    # Faults stop: the same work completes and is cached.
    fake.clear_faults()
    assert _call(client, endpoint) == GOOD[endpoint]
    assert cache.stats().entries >= 1
    assert not any(s.path in ("/secret", "/evil.dtd") for s in fake.seen())  # nothing fetched
    assert no_network == []


@pytest.mark.parametrize(
    ("endpoint", "kind", "error_type", "transient", "reason"),
    [
        ("elink", "503", EutilsHTTPError, True, "HTTP 503"),
        ("elink", "html", EutilsBadResponse, True, "HTML page"),
        ("elink", "truncated", EutilsBadResponse, True, "truncated XML"),
        ("elink", "entity_bomb", EutilsBadResponse, False, "own DTD"),
        ("idconv", "429", EutilsHTTPError, True, "HTTP 429"),
        ("idconv", "html", EutilsBadResponse, True, "HTML page"),
        ("idconv", "truncated", EutilsBadResponse, True, "truncated JSON"),
        ("idconv", "malformed", EutilsBadResponse, True, "malformed JSON"),
        ("idconv", "slow", EutilsTimeout, True, "no answer"),
        ("ecitmatch", "502", EutilsHTTPError, True, "HTTP 502"),
        ("ecitmatch", "html", EutilsBadResponse, True, "HTML or XML page"),
        ("ecitmatch", "error", EutilsBadResponse, True, "HTML or XML page"),
        ("ecitmatch", "truncated", EutilsBadResponse, True, "answered 0 lines for 1"),
        ("ecitmatch", "disconnect", EutilsConnectionError, True, "connection closed"),
    ],
)
def test_fault_matrix_other_endpoints(
    endpoint: str,
    kind: FaultKind,
    error_type: type[EutilsError],
    transient: bool,
    reason: str,
    fake: FakeEutils,
    make_client: ClientFactory,
    cache: ResponseCache,
) -> None:
    _populate(fake)
    client = make_client(fake, cache=cache, timeout=0.25, max_retries=1)
    fake.fail(endpoint, kind, times=2, delay=1.0)
    with pytest.raises(error_type) as info:
        _call(client, endpoint)
    assert info.value.transient is transient
    assert reason in info.value.reason
    assert cache.stats().entries == 0
    fake.clear_faults()
    assert _call(client, endpoint) == GOOD[endpoint]


@pytest.mark.parametrize("kind", ["429", "500", "503", "slow", "html", "truncated", "malformed"])
def test_transient_faults_are_absorbed_by_retries(
    kind: FaultKind, fake: FakeEutils, make_client: ClientFactory, clock: FakeClock
) -> None:
    _populate(fake)
    client = make_client(fake, timeout=0.25, max_retries=3)
    fake.fail("efetch", kind, times=2, delay=1.0)
    assert _call(client, "efetch") == ["1", "2"]
    assert client.stats.retries == 2
    assert fake.pending_faults() == 0
    # Exponential backoff with jitter: attempt n waits base * 2**(n-1) * [0.5, 1).
    backoffs = [s for s in clock.sleeps if s not in (INTERVAL_NO_KEY,)]
    assert len(backoffs) == 2
    assert 0.5 <= backoffs[0] < 1.0
    assert 1.0 <= backoffs[1] < 2.0


def test_permanent_error_element_not_retried(fake: FakeEutils, make_client: ClientFactory) -> None:
    fake.fail("esearch", "error", message="Invalid db name specified: nothing")
    with pytest.raises(EutilsBadResponse) as info:
        make_client(fake).search("q")
    assert info.value.transient is False
    assert "Invalid db name" in str(info.value)
    assert len(fake.seen("esearch")) == 1


def test_http_404_is_permanent(fake: FakeEutils, make_client: ClientFactory) -> None:
    client = make_client(fake, base_url=fake.url("wrong/path/"))
    with pytest.raises(EutilsHTTPError) as info:
        client.search("q")
    assert (info.value.status, info.value.transient) == (404, False)
    assert len(fake.seen()) == 1


def test_retry_after_seconds_is_honoured(
    fake: FakeEutils, make_client: ClientFactory, clock: FakeClock
) -> None:
    _populate(fake)
    fake.fail("efetch", "429", retry_after="7")
    assert _call(make_client(fake), "efetch") == ["1", "2"]
    assert 7.0 in clock.sleeps


def test_retry_after_http_date_is_honoured(
    fake: FakeEutils, make_client: ClientFactory, clock: FakeClock
) -> None:
    _populate(fake)
    when = email.utils.formatdate(clock.time() + 12, usegmt=True)
    fake.fail("efetch", "429", retry_after=when)
    assert _call(make_client(fake), "efetch") == ["1", "2"]
    assert any(11.0 <= s <= 12.0 for s in clock.sleeps)


def test_retry_after_too_long_gives_up_at_once(
    fake: FakeEutils, make_client: ClientFactory
) -> None:
    _populate(fake)
    fake.fail("efetch", "429", retry_after="3600")
    with pytest.raises(EutilsHTTPError) as info:
        _call(make_client(fake, max_retry_after=60), "efetch")
    assert info.value.transient is True
    assert info.value.retry_after == 3600
    assert "Retry-After 3600 s" in str(info.value)
    assert len(fake.seen("efetch")) == 1


def test_429_holds_back_the_shared_limiter(
    fake: FakeEutils, make_client: ClientFactory, clock: FakeClock
) -> None:
    _populate(fake)
    limiter = RateLimiter(clock.time, clock.sleep)
    fake.fail("efetch", "429", retry_after="30")
    client = make_client(fake, rate_limiter=limiter, sleep=lambda s: None)
    _call(client, "efetch")
    # The client's own sleep was a no-op, so the limiter made the whole wait.
    assert sum(clock.sleeps) >= 30


# ---------------------------------------------------------------------------------------------
# Cache, offline and refresh


def test_offline_answers_from_cache_and_names_misses(
    fake: FakeEutils, make_client: ClientFactory, cache: ResponseCache
) -> None:
    _populate(fake)
    fake.add_search("big", [str(n) for n in range(1, 30)])
    online = make_client(fake, cache=cache, search_page_size=10)
    assert _call(online, "efetch") == ["1", "2"]
    assert len(online.search("big")) == 29
    sent = len(fake.seen())

    offline = make_client(fake, cache=cache, offline=True, search_page_size=10)
    assert _call(offline, "efetch") == ["1", "2"]
    assert len(offline.search("big")) == 29
    assert len(fake.seen()) == sent  # nothing sent
    with pytest.raises(OfflineMiss) as info:
        list(offline.fetch_xml(["3"]))
    assert info.value.transient is False
    assert "efetch?db=pubmed&id=3&retmode=xml&rettype=xml" in str(info.value)
    with pytest.raises(OfflineMiss, match=r"esearch\?db=pubmed&retmax=10&retstart=0&term=other"):
        offline.search("other")
    with pytest.raises(OfflineMiss, match=r"elink\?.*id=1"):
        offline.elink_references("1")
    assert len(fake.seen()) == sent


def test_offline_without_cache_misses_everything(
    make_client: ClientFactory, fake: FakeEutils
) -> None:
    client = make_client(fake, offline=True)
    with pytest.raises(OfflineMiss, match="offline and not in the cache"):
        client.convert_ids(["PMC5"])
    assert fake.seen() == []


def test_offline_never_touches_the_network(no_network: list[str], cache: ResponseCache) -> None:
    client = EutilsClient("tests@example.org", cache=cache, offline=True)
    assert client.base_url == NCBI_EUTILS_URL
    with pytest.raises(OfflineMiss):
        client.search("anything")
    assert no_network == []


def test_refresh_fetches_again_and_overwrites(
    fake: FakeEutils, make_client: ClientFactory, cache: ResponseCache
) -> None:
    _populate(fake)
    make_client(fake, cache=cache).search("q")
    fake.add_search("q", ["1", "2", "3"])
    assert make_client(fake, cache=cache).search("q") == ["1", "2"]  # cached
    assert make_client(fake, cache=cache, refresh=True).search("q") == ["1", "2", "3"]
    assert make_client(fake, cache=cache).search("q") == ["1", "2", "3"]
    assert cache.stats().entries == 1


def test_partly_cached_search_runs_again_from_the_start(
    fake: FakeEutils, make_client: ClientFactory, cache: ResponseCache
) -> None:
    fake.add_search("big", [str(n) for n in range(1, 26)])
    client = make_client(fake, cache=cache, search_page_size=10)
    assert len(client.search("big")) == 25
    last = next(r for r in cache.requests("esearch") if ("retstart", "20") in r.params)
    cache.delete(last)
    before = len(fake.seen("esearch"))
    assert len(client.search("big")) == 25
    again = fake.seen("esearch")[before:]
    # A fresh first page (new WebEnv), then pages on that WebEnv: never a stale WebEnv.
    assert [s.params["retstart"] for s in again] == ["0", "10", "20"]
    assert "WebEnv" not in again[0].params
    assert again[1].params["WebEnv"] == again[2].params["WebEnv"] == "MCID_fake2"


def test_offline_and_refresh_exclude_each_other() -> None:
    with pytest.raises(ValueError, match="exclude"):
        EutilsClient("x@example.org", offline=True, refresh=True)


# ---------------------------------------------------------------------------------------------
# Rate limiting with an injected clock


def test_rate_limiter_spacing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock.time, clock.sleep)
    starts = []
    for _ in range(10):
        limiter.acquire(INTERVAL_NO_KEY)
        starts.append(clock.time())
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap == pytest.approx(INTERVAL_NO_KEY) for gap in gaps)
    # Never more than 3 starts in any one-second window.
    assert max(sum(1 for t in starts if s <= t < s + 1) for s in starts) <= 3


def test_rate_limiter_with_key_allows_ten_per_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock.time, clock.sleep)
    starts = []
    for _ in range(30):
        limiter.acquire(INTERVAL_WITH_KEY)
        starts.append(clock.time())
    assert max(sum(1 for t in starts if s <= t < s + 1) for s in starts) <= 10


def test_rate_limiter_is_shared_by_threads() -> None:
    lock = threading.Lock()
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        with lock:
            waits.append(seconds)

    limiter = RateLimiter(lambda: now[0], sleep)
    threads = [threading.Thread(target=limiter.acquire, args=(0.5,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The clock stood still, so each thread was given its own slot 0.5 s after the last.
    assert sorted(waits) == pytest.approx([0.5 * n for n in range(1, 8)])


def test_client_requests_are_spaced_by_the_limiter(
    fake: FakeEutils, make_client: ClientFactory, clock: FakeClock
) -> None:
    _populate(fake)
    client = make_client(fake)
    for _ in range(4):
        client.search("q")
    assert clock.sleeps == pytest.approx([INTERVAL_NO_KEY] * 3)
    keyed = make_client(fake, api_key=SECRET_KEY, rate_limiter=RateLimiter(clock.time, clock.sleep))
    clock.sleeps.clear()
    for _ in range(3):
        keyed.search("q")
    assert clock.sleeps == pytest.approx([INTERVAL_WITH_KEY] * 2)


# ---------------------------------------------------------------------------------------------
# Hygiene: Bio.Entrez globals, the API key, the network


def test_bio_entrez_globals_restored_after_success_and_failure(
    fake: FakeEutils, make_client: ClientFactory
) -> None:
    _populate(fake)
    before = entrez_globals()
    client = make_client(fake, api_key=SECRET_KEY, max_retries=1, timeout=0.25)
    client.search("q")
    fake.fail("efetch", "503", times=2)
    with pytest.raises(EutilsHTTPError):
        _call(client, "efetch")
    fake.fail("efetch", "slow", delay=1.0)
    _call(client, "efetch")
    assert entrez_globals() == before
    assert E.max_tries == 3  # Bio's default, untouched


def test_threads_share_one_client(fake: FakeEutils, make_client: ClientFactory) -> None:
    fake.synthesize = True
    before = entrez_globals()
    client = make_client(fake, rate_limiter=RateLimiter(time.monotonic, lambda s: None))
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            results[n] = [p.pmid for p in client.fetch_papers(range(n * 1000, n * 1000 + 300))]
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert all(len(results[n]) == 300 for n in range(1, 7))
    assert entrez_globals() == before


def test_api_key_never_shown(
    fake: FakeEutils,
    make_client: ClientFactory,
    cache: ResponseCache,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _populate(fake)
    client = make_client(fake, api_key=SECRET_KEY, cache=cache, max_retries=1)
    fake.fail("efetch", "429", times=2)  # NCBI's 429 body echoes the key
    with caplog.at_level(logging.DEBUG), pytest.raises(EutilsHTTPError) as info:
        _call(client, "efetch")
    assert fake.seen("efetch")[0].params["api_key"] == SECRET_KEY  # it was sent...
    assert SECRET_KEY not in str(info.value)  # ...and never repeated
    assert SECRET_KEY not in info.value.reason
    assert SECRET_KEY not in caplog.text
    assert SECRET_KEY not in repr(client)
    _call(client, "efetch")
    for request in cache.requests():
        assert SECRET_KEY not in request.describe()
        assert all(name != "api_key" for name, _ in request.params)


def test_refuses_hosts_it_was_not_given(
    fake: FakeEutils, make_client: ClientFactory, no_network: list[str]
) -> None:
    client = make_client(fake)
    client.idconv_url = "http://203.0.113.9/idconv/"  # changed after the allow-list was fixed
    with pytest.raises(EutilsRefused, match=r"refusing to contact '203\.0\.113\.9'"):
        client.convert_ids(["PMC1"])
    assert no_network == []


def test_redirect_to_another_host_is_refused(
    fake: FakeEutils, make_client: ClientFactory, no_network: list[str]
) -> None:
    client = make_client(fake)
    request = urllib.request.Request(fake.url("x"))
    handler = next(h for h in client._opener.handlers if hasattr(h, "allowed"))
    with pytest.raises(urllib.error.URLError, match=r"redirect to 'example\.org' refused"):
        handler.redirect_request(request, None, 302, "Found", {}, "http://example.org/x")  # type: ignore[attr-defined]
    assert no_network == []


def test_request_description_is_stable_and_keyless() -> None:
    a = Request.of("efetch", {"id": "1", "db": "pubmed", "api_key": SECRET_KEY, "email": "e"})
    b = Request.of("efetch", {"db": "pubmed", "id": "1", "tool": "other"})
    assert a == b
    assert a.key == b.key
    assert a.describe() == "efetch?db=pubmed&id=1"

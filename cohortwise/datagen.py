"""Deterministic synthetic product-analytics data (the raw `events` and `users` relations).

Users sign up spread over the period and come back in sessions whose frequency decays with the
time since sign-up, so retention curves look real. A session opens the app, views items, may
search, and walks the purchase path view -> add to cart -> order -> payment with drop-off at each
step. Some users browse anonymously (device id only) before they sign up; a few events are
account-level (no user, no device). A configurable share of bad rows is added, one reason code of
the quarantine each, and the generator reports exactly how many rows of each reason it wrote, so
that tests can check the quarantine against an independent count.

Work is done in chunks of users with numpy and pyarrow, so memory follows the chunk size and not
the size of the data set; the same arguments always give the same rows.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EVENT_COLUMNS = (
    "event_id",
    "user_id",
    "device_id",
    "account_id",
    "event_name",
    "event_time",
    "loaded_at",
    "properties",
)
USER_COLUMNS = ("user_id", "signed_up_at", "updated_at", "country", "platform", "plan", "properties")

# event names, by code
APP_OPEN, VIEW_ITEM, SEARCH, ADD_TO_CART, PLACE_ORDER, PAY_ORDER, SIGN_UP, INVOICE_PAID = range(8)
EVENT_NAMES = (
    "app_open",
    "view_item",
    "search",
    "add_to_cart",
    "place_order",
    "pay_order",
    "sign_up",
    "invoice_paid",
)
# the bad-row reason codes of the quarantine, with their share of the bad rows
BAD_ROW_SHARES = {
    "missing_event_id": 0.08,
    "missing_entity_id": 0.08,
    "missing_event_name": 0.08,
    "missing_event_time": 0.08,
    "unparseable_event_time": 0.12,
    "future_event_time": 0.08,
    "invalid_properties": 0.08,
    "duplicate_event_id": 0.40,
}
COUNTRIES = np.array(["US", "DE", "GB", "FR", "BR", "IN", "JP", "CA"])
COUNTRY_WEIGHTS = np.array([0.30, 0.14, 0.12, 0.10, 0.10, 0.10, 0.08, 0.06])
PLATFORMS = np.array(["ios", "android", "web"])
PLATFORM_WEIGHTS = np.array([0.35, 0.35, 0.30])
PLANS = np.array(["free", "pro", "team"])
PLAN_WEIGHTS = np.array([0.70, 0.22, 0.08])
REFERRERS = np.array(["ad", "search", "friend", "direct"])
CATEGORIES = np.array(["shoes", "books", "games", "garden", "toys", "music"])
UNPARSEABLE_TIMES = np.array(["not a time", "2024-02-30 10:00:00", "31/12/2024 10:00", "yesterday"])

# behaviour of a session
MEAN_EXTRA_VIEWS = 1.5  # a session views 1 + Poisson(1.5) items
P_SEARCH = 0.30
P_CART = 0.35  # of sessions
P_ORDER = 0.50  # of carts
P_PAY = 0.85  # of orders
MEAN_SESSION_EVENTS = 1 + 1 + MEAN_EXTRA_VIEWS + P_SEARCH + P_CART * (1 + P_ORDER * (1 + P_PAY))
P_ANONYMOUS = 0.3  # of users browse anonymously before signing up, 2 + Poisson(1) events
# per user outside sessions: the sign-up, anonymous browsing, an invoice for paying plans
MEAN_OTHER_EVENTS = 1 + P_ANONYMOUS * 3 + 0.3
MICROS = 1_000_000
DAY = 86_400 * MICROS


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate; the same config always gives the same rows."""

    users: int = 2_000
    days: int = 90
    events_per_user: float = 20.0
    seed: int = 42
    bad_row_rate: float = 0.01
    start_date: date = date(2024, 1, 1)
    chunk_users: int = 20_000

    def validate(self) -> None:
        if self.users < 1:
            raise ValueError(f"users must be at least 1, got {self.users}")
        if self.days < 1:
            raise ValueError(f"days must be at least 1, got {self.days}")
        if self.events_per_user < MEAN_SESSION_EVENTS + MEAN_OTHER_EVENTS:
            raise ValueError(
                f"events_per_user must be at least {MEAN_SESSION_EVENTS + MEAN_OTHER_EVENTS:.1f} "
                f"(a sign-up and one session), got {self.events_per_user}"
            )
        if not 0 <= self.bad_row_rate < 1:
            raise ValueError(f"bad_row_rate must be in [0, 1), got {self.bad_row_rate}")
        if self.chunk_users < 1:
            raise ValueError(f"chunk_users must be at least 1, got {self.chunk_users}")


@dataclass
class GenerationReport:
    """What was written: row counts and, for every quarantine reason, how many bad rows."""

    users: int = 0
    events_clean: int = 0
    events_total: int = 0
    bad_rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BAD_ROW_SHARES, 0))
    clean_events_by_name: dict[str, int] = field(default_factory=dict)
    first_event_at: str | None = None
    last_event_at: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)


@dataclass
class Chunk:
    events: pa.Table
    users: pa.Table


def _epoch_micros(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) * MICROS


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    """'u0000042'-style ids, built by arrow (no Python loop per row)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, type=pa.int64()), pa.string()), width=7, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def _time_text(micros: np.ndarray) -> pa.Array:
    """UTC instants as ISO 8601 text with milliseconds: '2024-01-01 10:00:00.123'."""
    return pc.cast(pa.array(micros // 1000, type=pa.int64()).cast(pa.timestamp("ms")), pa.string())


def _lookup(values: tuple[str, ...] | np.ndarray, codes: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    """values[codes] as an arrow string array, null where `present` is false."""
    taken = pa.array(list(values), type=pa.string()).take(pa.array(codes))
    if present is None:
        return taken
    return pc.if_else(pa.array(present), taken, pa.scalar(None, pa.string()))


def _json_field(name: str, values: pa.Array, quoted: bool) -> pa.Array:
    """', "name": value' for each row, null where the value is null."""
    quote = '"' if quoted else ""
    return pc.binary_join_element_wise(pa.scalar(f', "{name}": {quote}'), values, pa.scalar(quote), "")


def _json_objects(first: pa.Array, *optional: pa.Array) -> pa.Array:
    """'{' + first field + optional fields (skipped where null) + '}'; fields start with ', '."""
    body = (
        pc.binary_join_element_wise(*optional, "", null_handling="replace", null_replacement="")
        if optional
        else pa.scalar("")
    )
    return pc.binary_join_element_wise(pa.scalar("{"), pc.utf8_slice_codeunits(first, 2), body, pa.scalar("}"), "")


class _Sink(Protocol):
    def write(self, chunk: Chunk) -> None: ...

    def close(self) -> None: ...


def generate_chunks(config: GeneratorConfig, report: GenerationReport) -> Iterator[Chunk]:
    """Yields the data chunk by chunk and fills `report` as it goes."""
    config.validate()
    start = _epoch_micros(config.start_date)
    end = start + config.days * DAY
    event_offset = 0
    for chunk_index, first_user in enumerate(range(0, config.users, config.chunk_users)):
        n_users = min(config.chunk_users, config.users - first_user)
        rng = np.random.default_rng([config.seed, chunk_index])
        chunk = _generate_chunk(config, rng, first_user, n_users, start, end, event_offset, chunk_index, report)
        event_offset += chunk.events.num_rows
        yield chunk


def _generate_chunk(
    config: GeneratorConfig,
    rng: np.random.Generator,
    first_user: int,
    n_users: int,
    start: int,
    end: int,
    event_offset: int,
    chunk_index: int,
    report: GenerationReport,
) -> Chunk:
    user_numbers = np.arange(first_user, first_user + n_users)
    user_ids = _ids("u", user_numbers)
    signup = start + rng.integers(0, end - start, size=n_users)
    engagement = rng.lognormal(mean=-0.32, sigma=0.8, size=n_users)  # mean 1
    country = rng.choice(len(COUNTRIES), size=n_users, p=COUNTRY_WEIGHTS)
    platform = rng.choice(len(PLATFORMS), size=n_users, p=PLATFORM_WEIGHTS)
    plan = rng.choice(len(PLANS), size=n_users, p=PLAN_WEIGHTS)
    n_devices = 1 + (rng.random(n_users) < 0.25)
    n_accounts = 1 + (rng.random(n_users) < 0.15) + (rng.random(n_users) < 0.05)
    # accounts are shared: about three users per account
    account_pool = max(1, config.users // 3)
    accounts = rng.integers(0, account_pool, size=(n_users, 3))

    # sessions per user: the first one right after sign-up, then a number that follows engagement
    extra_rate = (config.events_per_user - MEAN_OTHER_EVENTS - MEAN_SESSION_EVENTS) / MEAN_SESSION_EVENTS
    n_sessions = 1 + rng.poisson(extra_rate * engagement)
    session_user = np.repeat(np.arange(n_users), n_sessions)
    n_sess = len(session_user)
    first_of_user = np.zeros(n_sess, dtype=bool)
    first_of_user[np.cumsum(n_sessions) - n_sessions] = True
    # return visits decay with time since sign-up: a truncated exponential up to the period's end
    remaining = (end - 1 - signup[session_user]).astype(np.float64)
    tau = DAY * (3.0 + 12.0 * engagement[session_user])
    u = rng.random(n_sess)
    offset = -tau * np.log1p(-u * (1.0 - np.exp(-remaining / tau)))
    session_start = signup[session_user] + np.where(first_of_user, 10 * MICROS, offset.astype(np.int64))
    session_start = np.minimum(session_start, end - 600 * MICROS)
    session_device = rng.integers(0, n_devices[session_user])
    session_category = rng.integers(0, len(CATEGORIES), size=n_sess)

    # events of each session: app_open, views, maybe search, then the purchase path
    n_views = 1 + rng.poisson(MEAN_EXTRA_VIEWS, size=n_sess)
    has_search = rng.random(n_sess) < P_SEARCH
    has_cart = rng.random(n_sess) < P_CART
    has_order = has_cart & (rng.random(n_sess) < P_ORDER)
    has_pay = has_order & (rng.random(n_sess) < P_PAY)
    b_view = 1 + n_views
    b_search = b_view + has_search
    b_cart = b_search + has_cart
    b_order = b_cart + has_order
    n_events = b_order + has_pay
    ev_session = np.repeat(np.arange(n_sess), n_events)
    n_ev = len(ev_session)
    session_first_event = np.cumsum(n_events) - n_events
    pos = np.arange(n_ev) - session_first_event[ev_session]
    name = np.select(
        [
            pos == 0,
            pos < b_view[ev_session],
            pos < b_search[ev_session],
            pos < b_cart[ev_session],
            pos < b_order[ev_session],
        ],
        [APP_OPEN, VIEW_ITEM, SEARCH, ADD_TO_CART, PLACE_ORDER],
        PAY_ORDER,
    )
    gaps = rng.exponential(40.0 * MICROS, size=n_ev).astype(np.int64) + MICROS
    gaps[session_first_event] = 0
    csum = np.cumsum(gaps)
    within = csum - csum[session_first_event][ev_session]
    ev_time = session_start[ev_session] + within
    ev_user = session_user[ev_session]
    ev_device = session_device[ev_session]
    ev_account = accounts[ev_user, rng.integers(0, n_accounts[ev_user])]
    ev_category = session_category[ev_session]
    ev_anonymous = np.zeros(n_ev, dtype=bool)

    # sign-ups, anonymous browsing before them, and account-level invoices
    anon_users = np.flatnonzero(rng.random(n_users) < P_ANONYMOUS)
    anon_n = 2 + rng.poisson(1.0, size=len(anon_users))
    anon_user = np.repeat(anon_users, anon_n)
    anon_first = np.cumsum(anon_n) - anon_n
    anon_pos = np.arange(len(anon_user)) - np.repeat(anon_first, anon_n)
    anon_start = np.maximum(start, signup[anon_users] - rng.integers(3600, 86_400, size=len(anon_users)) * MICROS)
    anon_time = np.minimum(np.repeat(anon_start, anon_n) + anon_pos * 30 * MICROS, signup[anon_user] - MICROS)
    anon_time = np.maximum(anon_time, start)
    invoice_users = np.flatnonzero(PLANS[plan] != "free")
    invoice_time = signup[invoice_users] + DAY
    keep_invoice = invoice_time < end
    invoice_users, invoice_time = invoice_users[keep_invoice], invoice_time[keep_invoice]

    parts_user = [ev_user, np.arange(n_users), anon_user, invoice_users]
    parts_time = [ev_time, signup, anon_time, invoice_time]
    parts_name = [
        name,
        np.full(n_users, SIGN_UP),
        np.where(anon_pos == 0, APP_OPEN, VIEW_ITEM),
        np.full(len(invoice_users), INVOICE_PAID),
    ]
    parts_device = [
        ev_device,
        np.zeros(n_users, dtype=np.int64),
        np.zeros(len(anon_user), dtype=np.int64),
        np.zeros(len(invoice_users), dtype=np.int64),
    ]
    parts_account = [ev_account, accounts[:, 0], np.full(len(anon_user), -1), accounts[invoice_users, 0]]
    parts_category = [
        ev_category,
        np.full(n_users, -1),
        rng.integers(0, len(CATEGORIES), size=len(anon_user)),
        np.full(len(invoice_users), -1),
    ]
    parts_anonymous = [
        ev_anonymous,
        np.zeros(n_users, dtype=bool),
        np.ones(len(anon_user), dtype=bool),
        np.zeros(len(invoice_users), dtype=bool),
    ]
    parts_device_less = [
        np.zeros(n_ev, dtype=bool),
        np.zeros(n_users, dtype=bool),
        np.zeros(len(anon_user), dtype=bool),
        np.ones(len(invoice_users), dtype=bool),
    ]
    e_user = np.concatenate(parts_user)
    e_time = np.concatenate(parts_time)
    e_name = np.concatenate(parts_name)
    e_device = np.concatenate(parts_device)
    e_account = np.concatenate(parts_account)
    e_category = np.concatenate(parts_category)
    e_anonymous = np.concatenate(parts_anonymous)
    e_account_only = np.concatenate(parts_device_less)
    n_clean = len(e_user)
    e_amount = np.round(rng.lognormal(mean=3.4, sigma=0.6, size=n_clean), 2)
    e_loaded = e_time + rng.integers(MICROS, 600 * MICROS, size=n_clean)

    # columns as arrow arrays
    names_arr = _lookup(EVENT_NAMES, e_name)
    e_user_ids = user_ids.take(pa.array(e_user))
    user_col = pc.if_else(pa.array(e_anonymous | e_account_only), pa.scalar(None, pa.string()), e_user_ids)
    device_col = pc.if_else(
        pa.array(e_account_only),
        pa.scalar(None, pa.string()),
        pc.binary_join_element_wise(pa.scalar("d"), e_user_ids, pc.cast(pa.array(e_device), pa.string()), "_"),
    )
    account_col = pc.if_else(pa.array(e_account < 0), pa.scalar(None, pa.string()), _ids("a", np.maximum(e_account, 0)))
    has_category = (e_category >= 0) & np.isin(e_name, [VIEW_ITEM, ADD_TO_CART, PLACE_ORDER, PAY_ORDER, SEARCH])
    has_amount = np.isin(e_name, [PLACE_ORDER, PAY_ORDER, INVOICE_PAID])
    has_country = np.isin(e_name, [APP_OPEN, SIGN_UP])
    category_text = _lookup(CATEGORIES, np.maximum(e_category, 0), has_category)
    amount_text = pc.if_else(
        pa.array(has_amount), pc.cast(pa.array(e_amount), pa.string()), pa.scalar(None, pa.string())
    )
    country_text = _lookup(COUNTRIES, country[e_user], has_country)
    properties = _json_objects(
        _json_field("platform", _lookup(PLATFORMS, platform[e_user]), quoted=True),
        _json_field("product_category", category_text, quoted=True),
        _json_field("amount", amount_text, quoted=False),
        _json_field("country", country_text, quoted=True),
    )
    event_ids = _ids("e", np.arange(event_offset, event_offset + n_clean))
    events = pa.table(
        {
            "event_id": event_ids,
            "user_id": user_col,
            "device_id": device_col,
            "account_id": account_col,
            "event_name": names_arr,
            "event_time": _time_text(e_time),
            "loaded_at": _time_text(e_loaded),
            "properties": properties,
        }
    )
    names_count = np.bincount(e_name, minlength=len(EVENT_NAMES))
    for code, count in enumerate(names_count):
        if count:
            report.clean_events_by_name[EVENT_NAMES[code]] = report.clean_events_by_name.get(
                EVENT_NAMES[code], 0
            ) + int(count)
    first_at, last_at = int(e_time.min()), int(e_time.max())
    _update_range(report, first_at, last_at)
    report.events_clean += n_clean

    bad = _bad_rows(config, rng, events, e_loaded, chunk_index, report)
    if bad is not None:
        # appended: which copy of a duplicate is the first is decided by loaded_at, not file order
        events = pa.concat_tables([events, bad])
    report.events_total += events.num_rows

    referrer = rng.choice(len(REFERRERS), size=n_users, p=[0.3, 0.3, 0.2, 0.2])
    updated = signup + rng.integers(0, 5 * DAY, size=n_users)
    users = pa.table(
        {
            "user_id": user_ids,
            "signed_up_at": _time_text(signup),
            "updated_at": _time_text(updated),
            "country": _lookup(COUNTRIES, country),
            "platform": _lookup(PLATFORMS, platform),
            "plan": _lookup(PLANS, plan),
            "properties": pc.binary_join_element_wise(
                pa.scalar('{"referrer": "'), _lookup(REFERRERS, referrer), pa.scalar('"}'), ""
            ),
        }
    )
    report.users += n_users
    return Chunk(events=events, users=users)


def _update_range(report: GenerationReport, first_at: int, last_at: int) -> None:
    def text(micros: int) -> str:
        return datetime.fromtimestamp(micros / MICROS, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    if report.first_event_at is None or text(first_at) < report.first_event_at:
        report.first_event_at = text(first_at)
    if report.last_event_at is None or text(last_at) > report.last_event_at:
        report.last_event_at = text(last_at)


def _bad_rows(
    config: GeneratorConfig,
    rng: np.random.Generator,
    clean: pa.Table,
    clean_loaded: np.ndarray,
    chunk_index: int,
    report: GenerationReport,
) -> pa.Table | None:
    """Copies of clean rows, each broken for exactly one quarantine reason."""
    n_bad = round(config.bad_row_rate * clean.num_rows)
    if n_bad == 0:
        return None
    reasons = list(BAD_ROW_SHARES)
    counts = rng.multinomial(n_bad, np.array(list(BAD_ROW_SHARES.values())))
    source_rows = rng.integers(0, clean.num_rows, size=n_bad)
    base = clean.take(pa.array(source_rows))
    columns = {name: base.column(name).combine_chunks() for name in EVENT_COLUMNS}
    reason_of_row = np.repeat(np.arange(len(reasons)), counts)
    null_text = pa.scalar(None, pa.string())

    def where(reason: str) -> pa.Array:
        return pa.array(reason_of_row == reasons.index(reason))

    fresh_ids = pc.binary_join_element_wise(
        pa.scalar(f"b{chunk_index}_"), pc.cast(pa.array(np.arange(n_bad)), pa.string()), ""
    )
    is_duplicate = where("duplicate_event_id")
    columns["event_id"] = pc.if_else(is_duplicate, columns["event_id"], fresh_ids)
    columns["event_id"] = pc.if_else(
        where("missing_event_id"), pa.array(np.where(np.arange(n_bad) % 2 == 0, "", "  ")), columns["event_id"]
    )
    for entity in ("user_id", "device_id", "account_id"):
        columns[entity] = pc.if_else(where("missing_entity_id"), null_text, columns[entity])
    columns["event_name"] = pc.if_else(where("missing_event_name"), null_text, columns["event_name"])
    columns["event_time"] = pc.if_else(where("missing_event_time"), null_text, columns["event_time"])
    unparseable = pa.array(UNPARSEABLE_TIMES[rng.integers(0, len(UNPARSEABLE_TIMES), size=n_bad)])
    columns["event_time"] = pc.if_else(where("unparseable_event_time"), unparseable, columns["event_time"])
    future = _time_text(np.full(n_bad, _epoch_micros(date(2099, 1, 1))) + rng.integers(0, DAY, size=n_bad))
    columns["event_time"] = pc.if_else(where("future_event_time"), future, columns["event_time"])
    columns["properties"] = pc.if_else(where("invalid_properties"), pa.scalar('{"amount": 12.5'), columns["properties"])
    # a duplicate is the same event loaded again later, so the original stays the clean copy
    later = clean_loaded[source_rows] + rng.integers(60 * MICROS, 2 * DAY, size=n_bad)
    columns["loaded_at"] = pc.if_else(is_duplicate, _time_text(later), columns["loaded_at"])
    for reason, count in zip(reasons, counts, strict=True):
        report.bad_rows[reason] += int(count)
    return pa.table(columns)


class DuckDBSink:
    """Writes `<schema>.events` and `<schema>.users` into a DuckDB file, replacing them."""

    def __init__(self, path: Path, schema: str = "raw") -> None:
        import duckdb

        if not schema.isidentifier():
            raise ValueError(f"schema must be a plain identifier, got {schema!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        # DuckDB would otherwise cache up to 80% of RAM; the sink only appends
        self._con = duckdb.connect(str(path), config={"memory_limit": "256MB", "threads": 2})
        self._schema = schema
        self._con.execute(f'create schema if not exists "{schema}"')
        for table, columns in (("events", EVENT_COLUMNS), ("users", USER_COLUMNS)):
            column_sql = ", ".join(f'"{c}" varchar' for c in columns)
            self._con.execute(f'create or replace table "{schema}"."{table}" ({column_sql})')

    def write(self, chunk: Chunk) -> None:
        for table, data in (("events", chunk.events), ("users", chunk.users)):
            self._con.register("cohortwise_chunk", data)
            self._con.execute(f'insert into "{self._schema}"."{table}" select * from cohortwise_chunk')
            self._con.unregister("cohortwise_chunk")

    def close(self) -> None:
        self._con.close()


class ParquetSink:
    """Writes `events.parquet` and `users.parquet` into a folder, one row group per chunk."""

    def __init__(self, folder: Path) -> None:
        import pyarrow.parquet as pq

        folder.mkdir(parents=True, exist_ok=True)
        schema = {
            "events": pa.schema([(c, pa.string()) for c in EVENT_COLUMNS]),
            "users": pa.schema([(c, pa.string()) for c in USER_COLUMNS]),
        }
        self._writers = {
            name: pq.ParquetWriter(str(folder / f"{name}.parquet"), schema[name], compression="zstd")
            for name in ("events", "users")
        }

    def write(self, chunk: Chunk) -> None:
        self._writers["events"].write_table(chunk.events)
        self._writers["users"].write_table(chunk.users)

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()


def generate(config: GeneratorConfig, sink: _Sink) -> GenerationReport:
    """Generates the whole data set into `sink` and returns what was written.

    The next chunk is generated on a second thread while the sink writes the current one (numpy,
    arrow and DuckDB release the GIL); at most two chunks wait in between, so memory stays bounded.
    """
    report = GenerationReport()
    pending: queue.Queue[Chunk | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item: Chunk | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                pending.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in generate_chunks(config, report):
                if not hand_over(chunk):
                    return
            hand_over(None)
        except BaseException as error:  # handed to the writing thread, which re-raises it
            hand_over(error)

    producer = threading.Thread(target=produce, name="cohortwise-datagen", daemon=True)
    producer.start()
    try:
        while True:
            item = pending.get()
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            sink.write(item)
    finally:
        stop.set()
        producer.join()
        sink.close()
    return report

# Type stubs of the Rust extension module (crates/spendsense-python/src/lib.rs).
import pyarrow as pa

__version__: str

def generate_tables(
    count: int,
    seed: int,
    start: int,
    end: int,
    mix: str | None = None,
    overlap: str | None = None,
    as_of: str | None = None,
    personas: str | None = None,
    ledgers: bool = False,
    threads: int = 1,
) -> list[tuple[str, pa.Schema, list[pa.RecordBatch]]]: ...
def fingerprint(personas: str | None = None) -> str: ...
def personas_json(personas: str | None = None) -> str: ...
def persona_ids(personas: str | None = None) -> list[str]: ...
def validate_path(
    path: str,
    personas: str | None = None,
    mix: str | None = None,
    quotas: str = "shares",
) -> tuple[str, str, bool]: ...
def validate_tables(
    tables: list[list[pa.RecordBatch]],
    personas: str | None = None,
    mix: str | None = None,
    quotas: str = "shares",
) -> tuple[str, str, bool]: ...
def profile_tables() -> list[str]: ...
def shard_range(count: int, shard: int, shards: int) -> tuple[int, int]: ...
def table_schema(name: str) -> pa.Schema: ...

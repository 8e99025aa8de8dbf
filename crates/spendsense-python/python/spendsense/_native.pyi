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
def default_personas() -> str: ...
def profile_tables() -> list[str]: ...

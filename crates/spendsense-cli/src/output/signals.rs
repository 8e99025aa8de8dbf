//! Signals that end a run clean up after it.
//!
//! SIGINT (Ctrl-C), SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM and a
//! SIGPIPE sent by another process all end a run the same way: every output
//! not yet committed is taken back and its temporary file or staging
//! directory removed, then the run exits with status 130 (see
//! [`super::commit::interrupt`]). Their default action would kill the process
//! and leave a partial file, possibly gigabytes, beside the target.
//!
//! SIGXFSZ (a write past `ulimit -f`) is caught and dropped, so the write
//! fails with `EFBIG` ("File too large") and the run reports it like a full
//! disk instead of dying. A SIGPIPE that our own write to a closed stdout or
//! stderr raised is dropped too: that write fails with `EPIPE`, which ends
//! the run quietly (`spendsense generate | head`).
//!
//! A thread waits for the signals (signal-hook's iterator), so the cleanup
//! runs as ordinary code, not in a signal handler.

/// Installs the handling of the module documentation; call it once, early.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::signal::{
        SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGXFSZ,
    };
    let caught = [
        SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGXFSZ,
    ];
    // Fails only when the process cannot create a pipe; the defaults then stand.
    let Ok(mut signals) = signal_hook::iterator::Signals::new(caught) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            match signal {
                SIGXFSZ => {}
                SIGPIPE if a_standard_pipe_is_broken() => {}
                _ => super::commit::interrupt(),
            }
        }
    });
}

#[cfg(not(unix))]
pub fn install() {}

/// Whether stdout or stderr is a pipe nobody reads any more, which is
/// how our own write raises SIGPIPE.
#[cfg(unix)]
fn a_standard_pipe_is_broken() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
    let mut fds = [
        PollFd::new(&stdout, PollFlags::OUT),
        PollFd::new(&stderr, PollFlags::OUT),
    ];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    poll(&mut fds, Some(&now)).is_ok() && fds.iter().any(|fd| fd.revents().contains(PollFlags::ERR))
}

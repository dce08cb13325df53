"""Small programs the reliability tests run as processes, to kill them with SIGKILL."""

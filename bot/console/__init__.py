"""Terminal front end: the quiz without Telegram (``quizbot chat``), on the same services."""

import io

from coros_dashboard.coros.progress import PageProgress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_ci_logs_get_one_line_per_page():
    stream = io.StringIO()
    progress = PageProgress("activities", stream)
    progress.update(1, 3, 100)
    progress.update(2, 3, 200)
    progress.close()
    assert stream.getvalue() == "activities: page 1/3, 100 read\nactivities: page 2/3, 200 read\n"


def test_a_terminal_gets_a_bar():
    stream = Terminal()
    progress = PageProgress("activities", stream)
    progress.update(1, 4, 100)
    progress.update(4, 4, 400)
    progress.close()
    text = stream.getvalue()
    assert "activities:" in text and "4/4" in text and "page 1/4" not in text

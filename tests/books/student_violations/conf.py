# Asks for what the student edition forbids: an exam item, the exam pool, a key.
project = "quizkit violations"
extensions = ["myst_parser", "quizkit.sphinx"]
root_doc = "index"
quizkit_bank_dir = "../quizzes"
html_theme = "basic"

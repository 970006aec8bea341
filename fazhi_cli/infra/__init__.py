"""The small infrastructure every stage shares, each module named for what it is: the office's clock (`clock`),
atomic file writes and the Chinese words for a failed write (`files`), terminal-safe text (`safety`), the
ordered process pool (`parallel`), the `--debug` switch (`debug`) and the font LibreOffice prints the forms with
(`print_fonts`)."""

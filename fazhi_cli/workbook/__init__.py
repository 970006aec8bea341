"""The self-assessment workbook: its layout, the writer, and the reader."""

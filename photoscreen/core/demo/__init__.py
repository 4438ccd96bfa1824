"""The demo folder: sample scenes with planted identifying metadata."""

"""The ceiling of the HTTP stack on this machine: FastAPI + uvicorn doing nothing at all."""

from typing import Any

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/v1/clues", status_code=201)
async def accept(request: Request) -> dict[str, Any]:
    await request.body()
    return {"clue_id": "00000000-0000-0000-0000-000000000000", "status": "received"}

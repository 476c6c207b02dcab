# chibo4tot — mọi việc thường làm đều có một lệnh make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV_VERSION := 0.13.9
EXAMPLE := examples/dang-bo-xa-thuong-phung
FUZZ_EXAMPLES ?= 10000
N ?= 5000

.DEFAULT_GOAL := help
.PHONY: help venv demo test lint format schema i18n golden bench fuzz lock clean

help: ## Liệt kê các lệnh
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The venv is rebuilt from scratch whenever the lock or pyproject changes, so it holds exactly
# the locked versions (hashes checked) and the project itself, built offline by the locked hatchling.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP) ## Tạo môi trường ảo và cài đặt dự án

demo: $(STAMP) ## Chạy thử trên không gian làm việc mẫu
	$(BIN)/chibo4tot --version
	$(BIN)/chibo4tot criteria list $(EXAMPLE)
	$(BIN)/chibo4tot validate $(EXAMPLE)
	$(BIN)/chibo4tot score $(EXAMPLE) --year 2024
	$(BIN)/chibo4tot explain pa-vi $(EXAMPLE) --year 2024 | tail -n 12
	$(BIN)/chibo4tot report $(EXAMPLE) --year 2024 --out build/bao-cao --force --allow-incomplete
	@echo
	@echo "Xong. Để chạy chibo4tot trên hồ sơ của bạn, từ bất kỳ thư mục nào, gõ:  $(abspath $(BIN))/chibo4tot --help"
	@echo "(hoặc kích hoạt môi trường một lần: source $(abspath $(BIN))/activate, rồi gõ chibo4tot …)"

test: $(STAMP) ## Chạy toàn bộ bộ kiểm thử
	$(BIN)/python -m pytest

lint: $(STAMP) ## Kiểm tra ruff, mypy và phân tầng import
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP) ## Định dạng mã nguồn
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

schema: $(STAMP) ## Sinh lại các JSON Schema từ mô hình
	$(BIN)/chibo4tot criteria schema --out src/chibo4tot/schemas
	$(BIN)/chibo4tot criteria schema --out $(EXAMPLE)/schemas

i18n: $(STAMP) ## Cập nhật danh mục bản dịch tiếng Anh
	$(BIN)/python -m chibo4tot.i18n.catalogue update

golden: $(STAMP) ## Cập nhật các tệp golden
	$(BIN)/python -m pytest --update-golden

bench: $(STAMP) ## Đo score, report qua dòng lệnh trên tỉnh giả lập N chi bộ (N=5000; N=500 cho nhanh); chỉ in số đo
	$(BIN)/python tools/bench.py $(N)

fuzz: $(STAMP) ## Thử ngẫu nhiên dài trên hồ sơ mẫu bị làm hỏng, trên mọi nhân (FUZZ_EXAMPLES=10000, FUZZ_SEED=…; in số mẫu và thời gian)
	$(BIN)/python tools/fuzz.py --examples $(FUZZ_EXAMPLES) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

lock: ## Làm mới requirements.lock lên phiên bản mới nhất trong khoảng cho phép (cố ý, rồi chạy make test)
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)-lock/bin/uv pip compile pyproject.toml --extra dev --group build --universal \
		--python-version 3.11 --generate-hashes --upgrade $(LOCK_ARGS) \
		--custom-compile-command "make lock" --output-file $(LOCK)

clean: ## Xoá môi trường ảo và tệp tạm
	rm -rf $(VENV) $(VENV)-lock .pytest_cache .mypy_cache .ruff_cache build dist

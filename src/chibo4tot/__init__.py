"""chibo4tot: chấm điểm mô hình "Chi bộ 4 tốt" từ các tệp YAML."""

__version__ = "0.1.0"

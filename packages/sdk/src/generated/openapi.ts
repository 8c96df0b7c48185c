/**
 * GENERATED from the server's /openapi.json by packages/sdk/test/openapi-types.ts.
 * Do not edit by hand: run `npm run generate:sdk-types`.
 */
/* eslint-disable */
export interface paths {
    "/async_parse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Parse a document into layout-aware chunks */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        advanced_options?: {
                            [key: string]: unknown;
                        };
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        document_url?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        enhance?: {
                            agentic?: unknown[];
                            intelligent_ordering?: boolean;
                            summarize_figures?: boolean;
                        } & {
                            [key: string]: unknown;
                        };
                        experimental_options?: {
                            [key: string]: unknown;
                        };
                        formatting?: {
                            add_page_markers?: boolean;
                            include?: string[];
                            join_hyphenated_words?: boolean;
                            merge_tables?: boolean;
                            table_output_format?: "html" | "json" | "md" | "jsonbbox" | "dynamic" | "csv";
                        } & {
                            [key: string]: unknown;
                        };
                        input?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        options?: {
                            [key: string]: unknown;
                        };
                        priority?: boolean;
                        queue_priority?: string;
                        retrieval?: {
                            chunking?: {
                                chunk_mode?: "disabled" | "variable" | "section" | "page" | "page_sections" | "block";
                                chunk_overlap?: number;
                                chunk_size?: number | null;
                            } & {
                                [key: string]: unknown;
                            };
                            embedding_optimized?: boolean;
                            filter_blocks?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                        settings?: {
                            document_password?: string | null;
                            extraction_mode?: string;
                            force_file_extension?: string | null;
                            force_url_result?: boolean;
                            ocr_system?: string;
                            page_range?: ({
                                end?: number | null;
                                start?: number | null;
                            } & {
                                [key: string]: unknown;
                            }) | unknown[] | (never | null);
                            persist_results?: boolean;
                            return_images?: ("figure" | "table" | "page")[];
                            return_ocr_data?: boolean;
                            timeout?: number | null;
                        } & {
                            [key: string]: unknown;
                        };
                        spreadsheet?: {
                            [key: string]: unknown;
                        };
                        webhook?: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cancel/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a queued or running job */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/classify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Classify a document into one of the given categories */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        classification_schema: ({
                            category: string;
                            criteria: string[];
                        } & {
                            [key: string]: unknown;
                        })[];
                        document_metadata?: string | null;
                        input: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        page_range?: {
                            [key: string]: unknown;
                        } | unknown[] | (never | null);
                        persist_results?: boolean;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/configure_webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Where webhooks are configured (a URL string) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Fill a PDF form from instructions or a form_schema */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        document_url: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        edit_instructions: string;
                        edit_options?: {
                            color?: string;
                            enable_overflow_pages?: boolean;
                            flatten?: boolean;
                            font_size?: number | null;
                            llm_provider_preference?: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                        form_schema?: ({
                            bbox: {
                                height: number;
                                left: number;
                                original_page?: number;
                                page: number;
                                top: number;
                                width: number;
                            } & {
                                [key: string]: unknown;
                            };
                            description: string;
                            fill?: boolean;
                            font_size?: number | null;
                            type: "text" | "checkbox" | "radio" | "dropdown" | "barcode";
                            value?: string | null;
                        } & {
                            [key: string]: unknown;
                        })[] | null;
                        priority?: boolean;
                        webhook?: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/edit_async": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Fill a PDF form from instructions or a form_schema */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        document_url: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        edit_instructions: string;
                        edit_options?: {
                            color?: string;
                            enable_overflow_pages?: boolean;
                            flatten?: boolean;
                            font_size?: number | null;
                            llm_provider_preference?: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                        form_schema?: ({
                            bbox: {
                                height: number;
                                left: number;
                                original_page?: number;
                                page: number;
                                top: number;
                                width: number;
                            } & {
                                [key: string]: unknown;
                            };
                            description: string;
                            fill?: boolean;
                            font_size?: number | null;
                            type: "text" | "checkbox" | "radio" | "dropdown" | "barcode";
                            value?: string | null;
                        } & {
                            [key: string]: unknown;
                        })[] | null;
                        priority?: boolean;
                        webhook?: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/extract": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Extract structured data against a JSON Schema, with citations */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        document_url?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        generate_citations?: boolean;
                        input?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        instructions?: {
                            schema?: unknown;
                            system_prompt?: string;
                        } & {
                            [key: string]: unknown;
                        };
                        parsing?: {
                            [key: string]: unknown;
                        };
                        schema?: unknown;
                        settings?: {
                            array_extract?: boolean;
                            citations?: {
                                enabled?: boolean;
                                numerical_confidence?: boolean;
                                parent_block?: "full" | "bbox_only";
                            } & {
                                [key: string]: unknown;
                            };
                            force_url_result?: boolean;
                            include_images?: boolean;
                            page_range?: unknown;
                        } & {
                            [key: string]: unknown;
                        };
                        system_prompt?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/extract_async": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Extract structured data against a JSON Schema, with citations */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        document_url?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        generate_citations?: boolean;
                        input?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        instructions?: {
                            schema?: unknown;
                            system_prompt?: string;
                        } & {
                            [key: string]: unknown;
                        };
                        parsing?: {
                            [key: string]: unknown;
                        };
                        schema?: unknown;
                        settings?: {
                            array_extract?: boolean;
                            citations?: {
                                enabled?: boolean;
                                numerical_confidence?: boolean;
                                parent_block?: "full" | "bbox_only";
                            } & {
                                [key: string]: unknown;
                            };
                            force_url_result?: boolean;
                            include_images?: boolean;
                            page_range?: unknown;
                        } & {
                            [key: string]: unknown;
                        };
                        system_prompt?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and storage check */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/job/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status, progress and result of a job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a job and its stored results */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/job/{job_id}/document": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The source document of a job (uploads only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/job/{job_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stream status and progress (Server-Sent Events) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/job/{job_id}/webhook_attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Webhook delivery attempts of a job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List jobs, newest first */
        get: {
            parameters: {
                query?: {
                    created_after?: string;
                    created_before?: string;
                    cursor?: string;
                    exclude_configs?: boolean;
                    limit?: number;
                    status?: "Pending" | "InProgress" | "Completed" | "Failed" | "Cancelled";
                    type?: "Parse" | "Extract" | "Split" | "Classify" | "Edit" | "Pipeline";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/parse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Parse a document into layout-aware chunks */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        advanced_options?: {
                            [key: string]: unknown;
                        };
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        document_url?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        enhance?: {
                            agentic?: unknown[];
                            intelligent_ordering?: boolean;
                            summarize_figures?: boolean;
                        } & {
                            [key: string]: unknown;
                        };
                        experimental_options?: {
                            [key: string]: unknown;
                        };
                        formatting?: {
                            add_page_markers?: boolean;
                            include?: string[];
                            join_hyphenated_words?: boolean;
                            merge_tables?: boolean;
                            table_output_format?: "html" | "json" | "md" | "jsonbbox" | "dynamic" | "csv";
                        } & {
                            [key: string]: unknown;
                        };
                        input?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        options?: {
                            [key: string]: unknown;
                        };
                        priority?: boolean;
                        queue_priority?: string;
                        retrieval?: {
                            chunking?: {
                                chunk_mode?: "disabled" | "variable" | "section" | "page" | "page_sections" | "block";
                                chunk_overlap?: number;
                                chunk_size?: number | null;
                            } & {
                                [key: string]: unknown;
                            };
                            embedding_optimized?: boolean;
                            filter_blocks?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                        settings?: {
                            document_password?: string | null;
                            extraction_mode?: string;
                            force_file_extension?: string | null;
                            force_url_result?: boolean;
                            ocr_system?: string;
                            page_range?: ({
                                end?: number | null;
                                start?: number | null;
                            } & {
                                [key: string]: unknown;
                            }) | unknown[] | (never | null);
                            persist_results?: boolean;
                            return_images?: ("figure" | "table" | "page")[];
                            return_ocr_data?: boolean;
                            timeout?: number | null;
                        } & {
                            [key: string]: unknown;
                        };
                        spreadsheet?: {
                            [key: string]: unknown;
                        };
                        webhook?: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/parse_async": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Parse a document into layout-aware chunks */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        advanced_options?: {
                            [key: string]: unknown;
                        };
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        document_url?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        enhance?: {
                            agentic?: unknown[];
                            intelligent_ordering?: boolean;
                            summarize_figures?: boolean;
                        } & {
                            [key: string]: unknown;
                        };
                        experimental_options?: {
                            [key: string]: unknown;
                        };
                        formatting?: {
                            add_page_markers?: boolean;
                            include?: string[];
                            join_hyphenated_words?: boolean;
                            merge_tables?: boolean;
                            table_output_format?: "html" | "json" | "md" | "jsonbbox" | "dynamic" | "csv";
                        } & {
                            [key: string]: unknown;
                        };
                        input?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        options?: {
                            [key: string]: unknown;
                        };
                        priority?: boolean;
                        queue_priority?: string;
                        retrieval?: {
                            chunking?: {
                                chunk_mode?: "disabled" | "variable" | "section" | "page" | "page_sections" | "block";
                                chunk_overlap?: number;
                                chunk_size?: number | null;
                            } & {
                                [key: string]: unknown;
                            };
                            embedding_optimized?: boolean;
                            filter_blocks?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                        settings?: {
                            document_password?: string | null;
                            extraction_mode?: string;
                            force_file_extension?: string | null;
                            force_url_result?: boolean;
                            ocr_system?: string;
                            page_range?: ({
                                end?: number | null;
                                start?: number | null;
                            } & {
                                [key: string]: unknown;
                            }) | unknown[] | (never | null);
                            persist_results?: boolean;
                            return_images?: ("figure" | "table" | "page")[];
                            return_ocr_data?: boolean;
                            timeout?: number | null;
                        } & {
                            [key: string]: unknown;
                        };
                        spreadsheet?: {
                            [key: string]: unknown;
                        };
                        webhook?: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a saved pipeline: parse, then split and extract */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        input: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        pipeline_id: string;
                        settings?: {
                            document_password?: string | null;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipeline_async": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a saved pipeline: parse, then split and extract */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        input: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        pipeline_id: string;
                        settings?: {
                            document_password?: string | null;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pipelines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a saved pipeline */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        /** Save a pipeline (Folio extension) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        extract?: ({
                            instructions: {
                                schema: unknown;
                                system_prompt?: string;
                            } & {
                                [key: string]: unknown;
                            };
                            settings?: {
                                [key: string]: unknown;
                            };
                        } & {
                            [key: string]: unknown;
                        }) | null;
                        name?: string;
                        parsing?: {
                            [key: string]: unknown;
                        };
                        split?: ({
                            settings?: {
                                [key: string]: unknown;
                            };
                            split_description: ({
                                description: string;
                                name: string;
                                partition_key?: string | null;
                            } & {
                                [key: string]: unknown;
                            })[];
                            split_rules?: string;
                        } & {
                            [key: string]: unknown;
                        }) | null;
                        split_extract?: {
                            [key: string]: {
                                instructions: {
                                    schema: unknown;
                                    system_prompt?: string;
                                } & {
                                    [key: string]: unknown;
                                };
                                settings?: {
                                    [key: string]: unknown;
                                };
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        post?: never;
        /** Delete a saved pipeline */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/split": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Split a document into sections by category */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        document_url?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        input?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        parsing?: {
                            [key: string]: unknown;
                        };
                        settings?: {
                            allow_page_overlap?: boolean;
                            table_cutoff?: "truncate" | "preserve";
                        } & {
                            [key: string]: unknown;
                        };
                        split_description: ({
                            description: string;
                            name: string;
                            partition_key?: string | null;
                        } & {
                            [key: string]: unknown;
                        })[];
                        split_rules?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/split_async": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Split a document into sections by category */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        async?: {
                            metadata?: unknown;
                            priority?: boolean;
                            webhook?: ({
                                /** @enum {string} */
                                mode: "direct";
                                url: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                channels?: string[];
                                /** @enum {string} */
                                mode: "svix";
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @enum {string} */
                                mode: "disabled";
                            } & {
                                [key: string]: unknown;
                            }) | (never | null);
                        } & {
                            [key: string]: unknown;
                        };
                        document_url?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        input?: string | string[] | ({
                            file_id: string;
                            presigned_url?: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        parsing?: {
                            [key: string]: unknown;
                        };
                        settings?: {
                            allow_page_overlap?: boolean;
                            table_cutoff?: "truncate" | "preserve";
                        } & {
                            [key: string]: unknown;
                        };
                        split_description: ({
                            description: string;
                            name: string;
                            partition_key?: string | null;
                        } & {
                            [key: string]: unknown;
                        })[];
                        split_rules?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a document (multipart field "file"), or get a presigned PUT URL when no file is sent */
        post: {
            parameters: {
                query?: {
                    extension?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/upload/{file_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an upload */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server version */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
